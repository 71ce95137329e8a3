/**
 * Follows a bill until it is paid, expired or closed: the gateway's server-sent events first; if the stream
 * fails, polling that is single-flight (the next request is scheduled only after the last one answered),
 * slows down after a minute and on errors, and pauses while the tab is hidden. stop() ends all network activity.
 */
import type { PublicBill } from '../types.ts';

export interface PollSchedule {
  /** Delay between polls during the first minute. */
  fastMs: number;
  /** Delay after `slowAfterMs`. */
  slowMs: number;
  slowAfterMs: number;
  /** Upper bound of the delay after consecutive errors (which double it). */
  maxErrorMs: number;
}

export const DEFAULT_SCHEDULE: PollSchedule = {
  fastMs: 2000,
  slowMs: 10000,
  slowAfterMs: 60000,
  maxErrorMs: 30000,
};

export interface StatusSource {
  billStatus(billId: string, signal?: AbortSignal): Promise<PublicBill>;
  statusStreamUrl(billId: string): string;
}

/** The part of EventSource the watcher uses (the browser's EventSource fits). */
export interface StatusStream {
  addEventListener(type: 'status', listener: (event: MessageEvent<string>) => void): void;
  onerror: ((event: Event) => void) | null;
  close(): void;
}
export type StatusStreamFactory = (url: string) => StatusStream;

export interface WatchOptions {
  billId: string;
  source: StatusSource;
  onStatus(bill: PublicBill): void;
  /** How status is transported: `'stream'` (SSE) until it fails, then `'polling'`. */
  onTransport?(transport: 'stream' | 'polling'): void;
  openStream?: StatusStreamFactory | null;
  doc?: Document;
  schedule?: PollSchedule;
  now?: () => number;
}

export interface BillWatch {
  stop(): void;
}

export function isFinal(bill: PublicBill): boolean {
  return bill.status !== 'open';
}

export function defaultStreamFactory(): StatusStreamFactory | null {
  if (typeof EventSource !== 'function') return null;
  return (url) => new EventSource(url) as unknown as StatusStream;
}

export function watchBillStatus(options: WatchOptions): BillWatch {
  const schedule = options.schedule ?? DEFAULT_SCHEDULE;
  const now = options.now ?? (() => Date.now());
  const doc = options.doc ?? document;
  const openStream = options.openStream === undefined ? defaultStreamFactory() : options.openStream;
  const startedAt = now();

  let stopped = false;
  let stream: StatusStream | null = null;
  let polling = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: AbortController | null = null;
  let pausedWhileHidden = false;
  let consecutiveErrors = 0;

  const deliver = (bill: PublicBill) => {
    if (stopped) return;
    options.onStatus(bill);
    if (isFinal(bill)) stop();
  };

  const nextDelay = () => {
    const base = now() - startedAt < schedule.slowAfterMs ? schedule.fastMs : schedule.slowMs;
    if (consecutiveErrors === 0) return base;
    return Math.min(base * 2 ** consecutiveErrors, schedule.maxErrorMs);
  };

  const scheduleNext = () => {
    if (stopped) return;
    timer = setTimeout(poll, nextDelay());
  };

  function poll(): void {
    timer = undefined;
    if (stopped || inFlight) return;
    if (doc.hidden) {
      pausedWhileHidden = true;
      return;
    }
    const controller = new AbortController();
    inFlight = controller;
    options.source.billStatus(options.billId, controller.signal).then(
      (bill) => {
        inFlight = null;
        consecutiveErrors = 0;
        deliver(bill);
        scheduleNext();
      },
      () => {
        inFlight = null;
        consecutiveErrors += 1;
        scheduleNext();
      },
    );
  }

  const onVisibility = () => {
    if (!doc.hidden && pausedWhileHidden && polling && !stopped) {
      pausedWhileHidden = false;
      poll();
    }
  };

  const startPolling = () => {
    if (polling || stopped) return;
    polling = true;
    options.onTransport?.('polling');
    doc.addEventListener('visibilitychange', onVisibility);
    poll();
  };

  function stop(): void {
    if (stopped) return;
    stopped = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    inFlight?.abort();
    inFlight = null;
    stream?.close();
    stream = null;
    doc.removeEventListener('visibilitychange', onVisibility);
  }

  if (openStream) {
    try {
      stream = openStream(options.source.statusStreamUrl(options.billId));
      options.onTransport?.('stream');
      stream.addEventListener('status', (event) => {
        try {
          deliver(JSON.parse(event.data) as PublicBill);
        } catch {
          // A malformed event is ignored; the next one (or polling) carries the status.
        }
      });
      stream.onerror = () => {
        // EventSource would retry forever on its own; switch to polling instead.
        stream?.close();
        stream = null;
        startPolling();
      };
    } catch {
      stream = null;
      startPolling();
    }
  } else {
    startPolling();
  }

  return { stop };
}
