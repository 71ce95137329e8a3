import { afterEach, describe, expect, it, vi } from 'vitest';

// The page may hold a stub `BC = {q: [...]}` before the script loads, which the shipped `Window.BC` type does not describe.
type TestWindow = { BC?: unknown; BCConfig?: unknown };

afterEach(() => {
  delete (window as unknown as TestWindow).BC;
  delete (window as unknown as TestWindow).BCConfig;
  vi.resetModules();
});

describe('the entry script', () => {
  it('defines BC once and dispatches beecloud:onready on document', async () => {
    (window as unknown as TestWindow).BCConfig = {
      appId: 'a',
      channels: ['ali'],
      urls: ['http://gateway.test'],
    };
    const ready: CustomEvent[] = [];
    const onReady = (event: Event) => ready.push(event as CustomEvent);
    document.addEventListener('beecloud:onready', onReady);
    await import('./index.ts');
    const first = (window as unknown as TestWindow).BC;
    expect(first).toMatchObject({ version: expect.any(String) });
    expect(ready).toHaveLength(1);
    expect(ready[0].bubbles).toBe(true);
    expect(ready[0].detail).toEqual({ msg: 'BC is ready' });

    vi.resetModules();
    await import('./index.ts');
    expect((window as unknown as TestWindow).BC).toBe(first);
    expect(ready).toHaveLength(1);
    document.removeEventListener('beecloud:onready', onReady);
  });

  it('replays calls queued on a BC stub', async () => {
    (window as unknown as TestWindow).BCConfig = {
      appId: 'a',
      channels: ['ali'],
      urls: ['http://gateway.test'],
    };
    const errors: unknown[] = [];
    (window as unknown as TestWindow).BC = {
      q: [['click', [{ amount: 1 }, { dataError: (error: unknown) => errors.push(error) }]]],
    };
    await import('./index.ts');
    expect(errors).toEqual([
      { code: 'MISS_PARAM', field: 'out_trade_no', message: 'out_trade_no: is required' },
    ]);
  });
});
