/**
 * The set-up most gateway tests share: a merchant's webhook receiver and a test gateway whose app sends its
 * webhooks there, started before the file's tests and stopped after them (both on 127.0.0.1, free ports).
 */
import { afterAll, beforeAll } from 'vitest';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.ts';

export interface GatewayWithReceiver {
  readonly gateway: TestGateway;
  readonly receiver: WebhookReceiver;
}

/** Call at the top of a test file; read `gateway` and `receiver` inside its tests. */
export function useGatewayWithReceiver(options: TestGatewayOptions = {}): GatewayWithReceiver {
  let gateway: TestGateway | undefined;
  let receiver: WebhookReceiver | undefined;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    gateway = await startTestGateway({ ...options, app: { ...options.app, webhookUrl: receiver.url } });
  });

  afterAll(async () => {
    await gateway?.close();
    await receiver?.close();
  });

  return {
    get gateway() {
      if (!gateway) throw new Error('the test gateway starts in beforeAll: use it inside a test');
      return gateway;
    },
    get receiver() {
      if (!receiver) throw new Error('the webhook receiver starts in beforeAll: use it inside a test');
      return receiver;
    },
  };
}
