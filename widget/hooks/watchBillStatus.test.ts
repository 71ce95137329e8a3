import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublicBill } from '../types.ts';
import { watchBillStatus, type StatusSource, type StatusStream } from './watchBillStatus.ts';

function bill(status: PublicBill['status']): PublicBill {
  return {
    id: 'bill1',
    bill_no: 'bc1234567',
    title: 't',
    total_fee: 1,
    channel: 'WX',
    sub_channel: 'WX_NATIVE',
    spay_result: status === 'paid',
    status,
    create_time: 0,
    trade_no: '',
  };
}

/** A status source whose answers the test releases one by one, recording every request. */
class ScriptedSource implements StatusSource {
  requests: { signal?: AbortSignal; resolve(value: PublicBill): void; reject(error: Error): void }[] = [];
  billStatus(_id: string, signal?: AbortSignal): Promise<PublicBill> {
    return new Promise((resolve, reject) => this.requests.push({ signal, resolve, reject }));
  }
  statusStreamUrl(id: string): string {
    return `http://gateway.test/2/rest/bill_public/${id}/events`;
  }
  get inFlight() {
    return this.requests.filter((request) => !request.signal?.aborted).length;
  }
  async answer(value: PublicBill | Error) {
    const request = this.requests.shift()!;
    if (value instanceof Error) request.reject(value);
    else request.resolve(value);
    await Promise.resolve();
    await Promise.resolve();
  }
}

/** The EventSource side of the gateway, driven by the test. */
class ScriptedStream implements StatusStream {
  listeners: ((event: MessageEvent<string>) => void)[] = [];
  onerror: ((event: Event) => void) | null = null;
  closed = false;
  constructor(public url: string) {}
  addEventListener(_type: 'status', listener: (event: MessageEvent<string>) => void) {
    this.listeners.push(listener);
  }
  close() {
    this.closed = true;
  }
  push(value: PublicBill) {
    for (const listener of this.listeners)
      listener(new MessageEvent('status', { data: JSON.stringify(value) }));
  }
  fail() {
    this.onerror?.(new Event('error'));
  }
}

function setHidden(hidden: boolean) {
  Object.defineProperty(document, 'hidden', { configurable: true, get: () => hidden });
  document.dispatchEvent(new Event('visibilitychange'));
}

describe('watchBillStatus', () => {
  let clock = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    clock = 0;
    setHidden(false);
  });
  afterEach(() => {
    vi.useRealTimers();
    setHidden(false);
  });
  const now = () => clock;
  async function advance(ms: number) {
    clock += ms;
    await vi.advanceTimersByTimeAsync(ms);
  }

  it('uses the server-sent events first and stops at paid, closing the stream', async () => {
    const source = new ScriptedSource();
    let stream: ScriptedStream | undefined;
    const seen: string[] = [];
    const transports: string[] = [];
    watchBillStatus({
      billId: 'bill1',
      source,
      now,
      onStatus: (value) => seen.push(value.status),
      onTransport: (transport) => transports.push(transport),
      openStream: (url) => (stream = new ScriptedStream(url)),
    });
    expect(stream!.url).toBe('http://gateway.test/2/rest/bill_public/bill1/events');
    stream!.push(bill('open'));
    stream!.push(bill('paid'));
    stream!.push(bill('paid'));
    expect(seen).toEqual(['open', 'paid']);
    expect(stream!.closed).toBe(true);
    await advance(60_000);
    expect(source.requests).toHaveLength(0);
    expect(transports).toEqual(['stream']);
  });

  it('falls back to polling when the stream fails', async () => {
    const source = new ScriptedSource();
    let stream: ScriptedStream | undefined;
    const seen: string[] = [];
    const transports: string[] = [];
    watchBillStatus({
      billId: 'bill1',
      source,
      now,
      onStatus: (value) => seen.push(value.status),
      onTransport: (transport) => transports.push(transport),
      openStream: (url) => (stream = new ScriptedStream(url)),
    });
    stream!.fail();
    expect(stream!.closed).toBe(true);
    expect(transports).toEqual(['stream', 'polling']);
    expect(source.requests).toHaveLength(1);
    await source.answer(bill('paid'));
    expect(seen).toEqual(['paid']);
  });

  it('polls single-flight: no second request while one is unanswered', async () => {
    const source = new ScriptedSource();
    watchBillStatus({ billId: 'bill1', source, now, onStatus: () => {}, openStream: null });
    expect(source.requests).toHaveLength(1);
    await advance(30_000);
    expect(source.requests).toHaveLength(1);
    await source.answer(bill('open'));
    expect(source.requests).toHaveLength(0);
    await advance(1999);
    expect(source.requests).toHaveLength(0);
    await advance(1);
    expect(source.requests).toHaveLength(1);
  });

  it('polls every 2 s during the first minute, then every 10 s', async () => {
    const source = new ScriptedSource();
    const requestTimes: number[] = [];
    const timedSource: StatusSource = {
      billStatus: (id, signal) => {
        requestTimes.push(clock);
        return source.billStatus(id, signal);
      },
      statusStreamUrl: (id) => source.statusStreamUrl(id),
    };
    watchBillStatus({ billId: 'bill1', source: timedSource, now, onStatus: () => {}, openStream: null });
    for (let step = 0; step < 100; step++) {
      if (source.requests.length > 0) await source.answer(bill('open'));
      await advance(1000);
    }
    const gaps = requestTimes.slice(1).map((time, index) => time - requestTimes[index]);
    expect(gaps.slice(0, 5)).toEqual([2000, 2000, 2000, 2000, 2000]);
    expect(gaps.at(-1)).toBe(10_000);
  });

  it('backs off after errors (doubling, at most 30 s) and recovers', async () => {
    const source = new ScriptedSource();
    const requestTimes: number[] = [];
    const timedSource: StatusSource = {
      billStatus: (id, signal) => {
        requestTimes.push(clock);
        return source.billStatus(id, signal);
      },
      statusStreamUrl: (id) => source.statusStreamUrl(id),
    };
    watchBillStatus({ billId: 'bill1', source: timedSource, now, onStatus: () => {}, openStream: null });
    await source.answer(new Error('offline'));
    await advance(3999);
    expect(requestTimes).toHaveLength(1);
    await advance(1);
    expect(requestTimes).toHaveLength(2);
    await source.answer(new Error('offline'));
    await advance(8000);
    expect(requestTimes).toHaveLength(3);
    await source.answer(bill('open'));
    await advance(2000);
    expect(requestTimes).toHaveLength(4);
  });

  it('pauses while the tab is hidden and resumes when it shows again', async () => {
    const source = new ScriptedSource();
    watchBillStatus({ billId: 'bill1', source, now, onStatus: () => {}, openStream: null });
    await source.answer(bill('open'));
    setHidden(true);
    await advance(120_000);
    expect(source.requests).toHaveLength(0);
    setHidden(false);
    expect(source.requests).toHaveLength(1);
  });

  it('stop() aborts the request in flight and ends all activity', async () => {
    const source = new ScriptedSource();
    const seen: string[] = [];
    const watch = watchBillStatus({
      billId: 'bill1',
      source,
      now,
      onStatus: (value) => seen.push(value.status),
      openStream: null,
    });
    expect(source.inFlight).toBe(1);
    watch.stop();
    expect(source.inFlight).toBe(0);
    await source.answer(bill('paid'));
    await advance(120_000);
    expect(seen).toEqual([]);
    expect(source.requests).toHaveLength(0);
  });

  it('stop() closes the stream', () => {
    const source = new ScriptedSource();
    let stream: ScriptedStream | undefined;
    const watch = watchBillStatus({
      billId: 'bill1',
      source,
      now,
      onStatus: () => {},
      openStream: (url) => (stream = new ScriptedStream(url)),
    });
    watch.stop();
    expect(stream!.closed).toBe(true);
  });

  it('treats expired and closed as final', async () => {
    for (const status of ['expired', 'closed'] as const) {
      const source = new ScriptedSource();
      const seen: string[] = [];
      watchBillStatus({
        billId: 'bill1',
        source,
        now,
        onStatus: (value) => seen.push(value.status),
        openStream: null,
      });
      await source.answer(bill(status));
      await advance(60_000);
      expect(seen).toEqual([status]);
      expect(source.requests).toHaveLength(0);
    }
  });
});
