/**
 * "Test connection" over real HTTP against the WeChat Pay simulator: saved credentials that the simulator accepts
 * (reachable, authorised), a 商户号 it does not know (reachable, refused — the refusal is signed with the platform
 * certificate, so it verifies), and an API base URL nobody answers (unreachable). The answers never carry the
 * private key.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateMerchantCredentials,
  startWechatpaySimulator,
  type KeyMode,
  type WechatpaySimulator,
} from '../../simulators/wechatpay/index.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { ConsoleClient, signedInClient } from './testing/console-client.ts';

let gateway: TestGateway;
let simulator: WechatpaySimulator;
let client: ConsoleClient;

/** A 127.0.0.1 port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

beforeAll(async () => {
  simulator = await startWechatpaySimulator();
  gateway = await startTestGateway();
  client = await signedInClient(gateway);
});

afterAll(async () => {
  await gateway.close();
  await simulator.close();
});

/** A merchant the simulator knows, and the settings the console is given for it. */
function registeredMerchant(mchid: string, appid: string, keyMode: KeyMode): Record<string, unknown> {
  const merchantKey = generateMerchantCredentials(mchid);
  const credentials = simulator.registerMerchant({
    mchid,
    appid,
    merchant_certificate: merchantKey.certificatePem,
    key_mode: keyMode,
  });
  return {
    mchid,
    appid,
    merchant_private_key: merchantKey.privateKeyPem,
    merchant_serial_no: merchantKey.serialNo,
    merchant_certificate: merchantKey.certificatePem,
    apiv3_key: credentials.apiv3_key,
    api_base_url: simulator.url,
    ...(keyMode === 'platform_certificate'
      ? { platform_certificates: [credentials.platform_certificate] }
      : {
          wechatpay_public_key: credentials.wechatpay_public_key,
          wechatpay_public_key_id: credentials.wechatpay_public_key_id,
        }),
  };
}

async function saveAndTest(settings: Record<string, unknown>) {
  const appId = gateway.app.appId;
  const saved = await client.call('PUT', `/apps/${appId}/credentials/WX`, { settings });
  expect(saved.status, saved.text).toBe(200);
  const tested = await client.call('POST', `/apps/${appId}/credentials/WX/test`, {});
  expect(tested.status, tested.text).toBe(200);
  expect(tested.text).not.toContain('PRIVATE KEY');
  expect(tested.text).not.toContain(settings.apiv3_key as string);
  return tested.json;
}

describe('test connection (WeChat Pay simulator)', () => {
  it('reports reachable and authorised for credentials the channel knows', async () => {
    const report = await saveAndTest(registeredMerchant('1900000201', 'wx2010000000000001', 'public_key'));
    expect(report).toMatchObject({ reachable: true, authOk: true });
  });

  it('reports reachable but refused for a 商户号 the channel does not know', async () => {
    // The platform certificate is WeChat Pay's, not the merchant's: take it from a registered merchant, then
    // present another 商户号 with its own key. The simulator answers MCH_NOT_EXISTS, signed with that certificate.
    const known = registeredMerchant('1900000202', 'wx2020000000000002', 'platform_certificate');
    const stranger = generateMerchantCredentials('1900009999');
    const report = await saveAndTest({
      ...known,
      mchid: '1900009999',
      merchant_private_key: stranger.privateKeyPem,
      merchant_serial_no: stranger.serialNo,
      merchant_certificate: stranger.certificatePem,
    });
    expect(report).toMatchObject({ reachable: true, authOk: false });
    expect(report.message).toContain('MCH_NOT_EXISTS');
  });

  it('reports unreachable when nothing answers at the API base URL', async () => {
    const report = await saveAndTest({
      ...registeredMerchant('1900000203', 'wx2030000000000003', 'public_key'),
      api_base_url: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(report).toMatchObject({ reachable: false, authOk: false });
  });
});
