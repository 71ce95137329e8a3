/**
 * Fair admission of HTTP requests: each request starts its work (body parsing, signature checks, SQLite
 * statements, the commit's fsync — all synchronous on the event loop) in arrival order, a few per event-loop turn
 * within a time budget.
 *
 * Why: under load every turn of Node's event loop reads every connection that has a request ready and, left to
 * itself, runs all of those requests to completion in that same turn, while it accepts only about one new
 * connection per turn. A busy gateway's turns grow to hundreds of milliseconds, so a client that connects during
 * a load sits in the kernel's accept queue until the load ends (seen in bench/: 10 s+ for a few requests under
 * 200 connections). Admitting only what fits in a short turn keeps turns short, so new connections are accepted
 * and read between requests, and requests are answered in the order they arrived.
 *
 * How many per turn: while requests keep waiting, the time from one admission to the next is one whole turn (the
 * admitted requests' work, plus reading and accepting). The next turn admits as many as that turn's cost per
 * request says fit in `turnBudgetMs` (at most twice, at least half as many as that turn admitted; between 1 and
 * `maxPerTurn`). Cheap requests (a status read, ~0.1 ms) go several to a turn instead of paying a whole turn of
 * the event loop each; costly ones (a bill creation) go one or two at a time. After an idle spell the first turn
 * admits as many as the last busy turn did.
 */
import type { FastifyInstance } from 'fastify';

export interface AdmissionOptions {
  /** How long one turn's admitted requests should take, in ms (default 2). */
  turnBudgetMs?: number;
  /** Requests admitted in one turn at most (default 64). */
  maxPerTurn?: number;
  /** The clock, in ms (default performance.now; tests give their own). */
  now?: () => number;
}

export class RequestAdmission {
  private readonly waiting: Array<() => void> = [];
  private admissionScheduled = false;
  /** When the last admission ran, while requests kept waiting after it (undefined after an idle spell). */
  private lastAdmissionAt: number | undefined;
  private perTurn = 1;
  private lastAdmitted = 0;
  private readonly turnBudgetMs: number;
  private readonly maxPerTurn: number;
  private readonly now: () => number;

  constructor(options: AdmissionOptions = {}) {
    this.turnBudgetMs = options.turnBudgetMs ?? 2;
    this.maxPerTurn = options.maxPerTurn ?? 64;
    this.now = options.now ?? (() => performance.now());
  }

  /** Resolves on a later event-loop turn, after every request that asked before this one was admitted. */
  admit(): Promise<void> {
    return new Promise((resolve) => this.enter(resolve));
  }

  /** Calls `admitted` on a later event-loop turn, after every request that asked before this one was admitted. */
  enter(admitted: () => void): void {
    this.waiting.push(admitted);
    this.scheduleAdmission();
  }

  /** Requests waiting to start. */
  get queued(): number {
    return this.waiting.length;
  }

  /** How many requests the next turn admits. */
  get admittedPerTurn(): number {
    return this.perTurn;
  }

  private scheduleAdmission(): void {
    if (this.admissionScheduled) return;
    this.admissionScheduled = true;
    setImmediate(this.admitNext);
  }

  private readonly admitNext = (): void => {
    this.admissionScheduled = false;
    const now = this.now();
    if (this.lastAdmissionAt !== undefined) {
      // The last turn ran `lastAdmitted` requests (and the reads and accepts around them) in `turnMs`.
      const turnMs = Math.max(now - this.lastAdmissionAt, 1e-3);
      const fits = Math.floor((this.lastAdmitted * this.turnBudgetMs) / turnMs);
      const least = Math.max(1, Math.floor(this.lastAdmitted / 2));
      this.perTurn = Math.min(this.maxPerTurn, Math.max(least, Math.min(fits, this.lastAdmitted * 2)));
    }
    let admitted = 0;
    while (admitted < this.perTurn && this.waiting.length > 0) {
      admitted += 1;
      this.waiting.shift()!();
    }
    this.lastAdmitted = admitted;
    // Only a turn that left requests waiting measures what a full turn costs.
    this.lastAdmissionAt = this.waiting.length > 0 ? now : undefined;
    if (this.waiting.length > 0) this.scheduleAdmission();
  };
}

/** Makes every request of `app` wait for its turn before any other hook or handler runs. */
export function installFairAdmission(app: FastifyInstance, options?: AdmissionOptions): RequestAdmission {
  const admission = new RequestAdmission(options);
  // A callback hook: admission goes on straight into the next hook, no promise per request.
  app.addHook('onRequest', (_request, _reply, done) => {
    admission.enter(done);
  });
  return admission;
}
