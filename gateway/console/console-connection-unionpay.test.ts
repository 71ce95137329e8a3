/**
 * "Test connection" over real HTTP against the UnionPay simulator: saved credentials that the simulator accepts
 * (reachable, authorised), a merId it does not know (reachable, refused: respCode 31), and a back URL nobody
 * answers (unreachable). The answers never carry the private key.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMerchantCertificate,
  startUnionpaySimulator,
  type RunningUnionpaySimulator,
} from '../../simulators/unionpay/index.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { ConsoleClient, signedInClient } from './testing/console-client.ts';

let gateway: TestGateway;
let simulator: RunningUnionpaySimulator;
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
  simulator = await startUnionpaySimulator();
  gateway = await startTestGateway();
  client = await signedInClient(gateway);
});

afterAll(async () => {
  await gateway.close();
  await simulator.close();
});

/** A merchant the simulator knows, and the settings the console is given for it (PEM key and certificate). */
function registeredMerchant(merId: string): Record<string, unknown> {
  const merchant = createMerchantCertificate(merId);
  const registration = simulator.registerMerchant(merId, merchant.certificatePem);
  return {
    mer_id: merId,
    private_key: merchant.privateKeyPem,
    certificate: merchant.certificatePem,
    root_certificate: registration.root_certificate,
    middle_certificate: registration.middle_certificate,
    expected_signer_cn: registration.expected_signer_cn,
    front_url: registration.front_url,
    back_url: registration.back_url,
  };
}

async function saveAndTest(settings: Record<string, unknown>) {
  const appId = gateway.app.appId;
  const saved = await client.call('PUT', `/apps/${appId}/credentials/UN`, { settings });
  expect(saved.status, saved.text).toBe(200);
  const tested = await client.call('POST', `/apps/${appId}/credentials/UN/test`, {});
  expect(tested.status, tested.text).toBe(200);
  expect(tested.text).not.toContain('PRIVATE KEY');
  return tested.json;
}

describe('test connection (UnionPay simulator)', () => {
  it('reports reachable and authorised for credentials the channel knows', async () => {
    const report = await saveAndTest(registeredMerchant('777290058120001'));
    expect(report).toMatchObject({ reachable: true, authOk: true });
  });

  it('reports reachable but refused for a merId the channel does not know', async () => {
    const stranger = createMerchantCertificate('777290058129999');
    const report = await saveAndTest({
      ...registeredMerchant('777290058120002'),
      mer_id: '777290058129999',
      private_key: stranger.privateKeyPem,
      certificate: stranger.certificatePem,
    });
    expect(report).toMatchObject({ reachable: true, authOk: false });
    expect(report.message).toContain('(31)');
  });

  it('reports unreachable when nothing answers at the back URL', async () => {
    const report = await saveAndTest({
      ...registeredMerchant('777290058120003'),
      back_url: `http://127.0.0.1:${await closedPort()}`,
    });
    expect(report).toMatchObject({ reachable: false, authOk: false });
  });
});
