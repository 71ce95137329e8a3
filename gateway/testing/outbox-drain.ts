/**
 * "Nothing else happened", checked without a fixed sleep: every webhook a change causes is written to the outbox in
 * the change's own transaction, so once the outbox has no pending row left, every webhook there will ever be for
 * what the test did has been answered by its receiver (a delivered row's receiver recorded it before answering).
 * Tests wait for that state, then count what arrived.
 */
import type { GatewayStore } from '../storage/store.ts';

export async function outboxDrained(store: GatewayStore, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const pending = (await store.outbox.all({})).filter((row) => row.status === 'pending');
    if (pending.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`${pending.length} webhooks still pending after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
