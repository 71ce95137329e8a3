/**
 * "Test connection" over real HTTP against the Alipay simulator: saved credentials that the simulator accepts
 * (reachable, authorised), credentials it does not know (reachable, refused), and a gateway URL nobody answers
 * (unreachable). The answers never carry the private key.
 */
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAlipaySimulator, type AlipaySimulatorHandle } from '../../simulators/alipay/index.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { ConsoleClient, signedInClient } from './testing/console-client.ts';

let gateway: TestGateway;
let simulator: AlipaySimulatorHandle;
let client: ConsoleClient;

const appKeys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = appKeys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = appKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

/** A 127.0.0.1 port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  simulator = await startAlipaySimulator();
  gateway = await startTestGateway();
  client = await signedInClient(gateway);
});

afterAll(async () => {
  await gateway.close();
  await simulator.close();
});

async function saveAndTest(settings: Record<string, unknown>) {
  const appId = gateway.app.appId;
  const saved = await client.call('PUT', `/apps/${appId}/credentials/ALI`, { settings });
  expect(saved.status, saved.text).toBe(200);
  const tested = await client.call('POST', `/apps/${appId}/credentials/ALI/test`, {});
  expect(tested.status, tested.text).toBe(200);
  expect(tested.text).not.toContain('PRIVATE KEY');
  return tested.json;
}

describe('test connection (Alipay simulator)', () => {
  it('reports reachable and authorised for credentials the channel knows', async () => {
    const merchant = await simulator.registerMerchant({ app_public_key: publicPem });
    const report = await saveAndTest({
      app_id: merchant.app_id,
      app_private_key: privatePem,
      alipay_public_key: merchant.alipay_public_key,
      gateway_url: simulator.gatewayUrl,
    });
    expect(report).toMatchObject({ reachable: true, authOk: true });
  });

  it('reports reachable but refused for an app id the channel does not know', async () => {
    const report = await saveAndTest({
      app_id: '2021009999999999',
      app_private_key: privatePem,
      alipay_public_key: simulator.alipayPublicKey,
      gateway_url: simulator.gatewayUrl,
    });
    expect(report).toMatchObject({ reachable: true, authOk: false });
  });

  it('reports unreachable when nothing answers at the gateway URL', async () => {
    const merchant = await simulator.registerMerchant({ app_public_key: publicPem });
    const report = await saveAndTest({
      app_id: merchant.app_id,
      app_private_key: privatePem,
      alipay_public_key: merchant.alipay_public_key,
      gateway_url: `http://127.0.0.1:${await closedPort()}/gateway.do`,
    });
    expect(report).toMatchObject({ reachable: false, authOk: false });
  });
});
