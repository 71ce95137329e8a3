/**
 * Fair admission of HTTP requests: each request starts its work (body parsing, signature checks, SQLite
 * statements, the commit's fsync — all synchronous on the event loop) in arrival order, one per event-loop turn.
 *
 * Why: under load every turn of Node's event loop reads every connection that has a request ready and, left to
 * itself, runs all of those requests to completion in that same turn, while it accepts only about one new
 * connection per turn. A busy gateway's turns grow to hundreds of milliseconds, so a client that connects during
 * a load sits in the kernel's accept queue until the load ends (seen in bench/: 10 s+ for a few requests under
 * 200 connections). Admitting one request per turn keeps turns short, so new connections are accepted and read
 * between requests, and requests are answered in the order they arrived.
 */
import type { FastifyInstance } from 'fastify';

export class RequestAdmission {
  private readonly waiting: Array<() => void> = [];
  private admissionScheduled = false;

  /** Resolves on a later event-loop turn, after every request that asked before this one was admitted. */
  admit(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.scheduleAdmission();
    });
  }

  /** Requests waiting to start. */
  get queued(): number {
    return this.waiting.length;
  }

  private scheduleAdmission(): void {
    if (this.admissionScheduled) return;
    this.admissionScheduled = true;
    setImmediate(this.admitNext);
  }

  private readonly admitNext = (): void => {
    this.admissionScheduled = false;
    this.waiting.shift()?.();
    if (this.waiting.length > 0) this.scheduleAdmission();
  };
}

/** Makes every request of `app` wait for its turn before any other hook or handler runs. */
export function installFairAdmission(app: FastifyInstance): RequestAdmission {
  const admission = new RequestAdmission();
  app.addHook('onRequest', async () => {
    await admission.admit();
  });
  return admission;
}
