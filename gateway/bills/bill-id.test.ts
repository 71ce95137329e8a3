import { describe, expect, it } from 'vitest';
import { looksLikeBillId, newBillId } from './bill-id.ts';

describe('bill ids', () => {
  it('are UUIDs of version 7: the creation time first, then random bits', () => {
    const at = Date.UTC(2026, 11, 3, 16, 0, 0, 123);
    const id = newBillId(at);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(at);
    expect(looksLikeBillId(id)).toBe(true);
  });

  it('sort as they were created, and two made in the same millisecond differ', () => {
    const ids = [1, 2, 1_000, 1_700_000_000_000, 1_700_000_000_001].map((at) => newBillId(at));
    expect([...ids].sort()).toEqual(ids);
    const sameMoment = new Set(Array.from({ length: 1_000 }, () => newBillId(1_700_000_000_000)));
    expect(sameMoment.size).toBe(1_000);
  });

  it('tell a bill id from anything else', () => {
    expect(looksLikeBillId('not-a-bill')).toBe(false);
    expect(looksLikeBillId(`${newBillId()}x`)).toBe(false);
  });
});
