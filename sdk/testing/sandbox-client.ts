/**
 * The SDK as a merchant in test mode would set it up against a test gateway: the seeded app's secrets, the
 * gateway's URL. Shared by the SDK's tests that call the real gateway over HTTP.
 */
import type { GatewayWithReceiver } from '../../gateway/testing/gateway-with-receiver.ts';
import type { SpayApp } from '../app.ts';
import { SpayClient } from '../client.ts';

export function sandboxClient(harness: GatewayWithReceiver): { client: SpayClient; app: SpayApp } {
  const seed = harness.gateway.app;
  const app: SpayApp = {
    appId: seed.appId,
    appSecret: seed.appSecret,
    masterSecret: seed.masterSecret,
    testSecret: seed.testSecret,
    webhookSecret: seed.webhookSecret,
    testMode: true,
    gatewayUrl: harness.gateway.url,
  };
  return { client: new SpayClient(app), app };
}
