/**
 * Outbox rows for the dispatcher's tests: a paid bill's webhook written straight to the outbox (as the core does
 * when a payment commits), and the row as the store has it.
 */
import type { App } from '../apps/app.ts';
import type { GatewayStore } from '../storage/store.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';

let written = 0;

/** Writes a paid bill's webhook (19.90 yuan, Alipay), due at `now`, to `targetUrl` or the app's webhook URL. */
export async function enqueuePaidWebhook(
  store: GatewayStore,
  app: App,
  options: { now?: number; targetUrl?: string } = {},
): Promise<string> {
  written += 1;
  const { id } = await enqueueWebhook(
    store,
    {
      app,
      mode: 'test',
      transactionType: 'PAY',
      transactionId: `hook${String(written).padStart(6, '0')}`,
      channelType: 'ALI',
      subChannelType: 'ALI_WEB',
      transactionFee: 1990,
      optional: null,
      messageDetail: {},
      channelTransactionId: `T${written}`,
      targetUrl: options.targetUrl,
    },
    { now: options.now ?? Date.now() },
  );
  return id;
}

/** The outbox row of a webhook (throws if there is none). */
export async function outboxRow(store: GatewayStore, id: string) {
  const [found] = await store.outbox.all({ webhookId: id });
  if (!found) throw new Error(`no webhook ${id}`);
  return found;
}

/** A dispatcher's clock for tests: stands still at `at` unless the test (or a receiver's answer) moves it. */
export function frozenClock(start = Math.floor(Date.now() / 1000) * 1000 + 250) {
  const clock = { at: start, now: () => clock.at };
  return clock;
}

/** A line the dispatcher logged, as tests keep it. */
export interface LoggedLine {
  level: 'info' | 'warn';
  message: string;
  fields: Record<string, unknown>;
}
