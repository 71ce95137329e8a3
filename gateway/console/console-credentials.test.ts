/**
 * Saving channel credentials over real HTTP: the console never sends saved secrets back, so a save that leaves a
 * field out keeps its stored value (a field sent as null is removed); every save is checked as a whole by the
 * family's parser and a refused one changes nothing; the audit entry names the fields, never a value.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createMerchantCertificate,
  startUnionpaySimulator,
  type RunningUnionpaySimulator,
} from '../../simulators/unionpay/index.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { ConsoleClient, signedInClient } from './testing/console-client.ts';

let gateway: TestGateway;
let client: ConsoleClient;
let appId: string;

function rsaPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

beforeAll(async () => {
  gateway = await startTestGateway();
  client = await signedInClient(gateway);
  const created = await client.call('POST', '/apps', { name: 'credentials shop' });
  expect(created.status, created.text).toBe(201);
  appId = created.json.app.appId;
});

afterAll(async () => {
  await gateway.close();
});

const stored = async (family: 'ALI' | 'WX' | 'UN') =>
  (await gateway.ctx.store.apps.findApp(appId))!.channelSettings[family];

const lastAudit = async () => (await client.call('GET', `/audit?appId=${appId}&limit=1`)).json.entries[0];

describe('Alipay credentials', () => {
  const app = rsaPair();
  const alipay = rsaPair();

  it('keeps the stored private key when a later save changes one other field', async () => {
    const first = await client.call('PUT', `/apps/${appId}/credentials/ALI`, {
      settings: {
        app_id: '2021000000000002',
        mode: 'public_key',
        app_private_key: app.privatePem,
        alipay_public_key: alipay.publicPem,
      },
    });
    expect(first.status, first.text).toBe(200);
    const before = (await stored('ALI'))!;

    // The form sends only what the operator typed: the partner id.
    const second = await client.call('PUT', `/apps/${appId}/credentials/ALI`, {
      settings: { seller_id: '2088000000000001' },
    });
    expect(second.status, second.text).toBe(200);
    expect(second.json.credential.fieldsSet).toEqual(
      expect.arrayContaining(['app_id', 'app_private_key', 'alipay_public_key', 'seller_id']),
    );
    const after = (await stored('ALI'))!;
    expect(after.app_private_key).toBe(before.app_private_key);
    expect(after.alipay_public_key).toBe(before.alipay_public_key);
    expect(after.seller_id).toBe('2088000000000001');
    expect(second.text).not.toContain('PRIVATE KEY');

    const audit = await lastAudit();
    expect(audit).toMatchObject({
      action: 'credentials.save',
      detail: { family: 'ALI', fieldsEntered: ['seller_id'], fieldsRemoved: [] },
    });
    expect(audit.operator).toMatch(/^op/);
    expect(typeof audit.at).toBe('number');
  });

  it('removes an optional field sent as null', async () => {
    const answer = await client.call('PUT', `/apps/${appId}/credentials/ALI`, {
      settings: { seller_id: null },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.credential.fieldsSet).not.toContain('seller_id');
    expect((await stored('ALI'))!.seller_id ?? null).toBeNull();
    expect((await lastAudit()).detail).toMatchObject({ fieldsRemoved: ['seller_id'] });
  });

  it('checks the merged settings as a whole and stores nothing of a refused save', async () => {
    const before = await stored('ALI');
    const auditBefore = await lastAudit();
    // A good partner id with a bad key: neither is stored.
    const bad = await client.call('PUT', `/apps/${appId}/credentials/ALI`, {
      settings: { seller_id: '2088000000000009', app_private_key: 'not a key' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toMatchObject({ code: 'invalid', field: 'settings.app_private_key' });
    expect(await stored('ALI')).toEqual(before);
    expect(await lastAudit()).toEqual(auditBefore);

    // Removing a field the parser needs is refused at that field.
    const missing = await client.call('PUT', `/apps/${appId}/credentials/ALI`, {
      settings: { alipay_public_key: null },
    });
    expect(missing.status).toBe(400);
    expect(missing.json.error.field).toBe('settings.alipay_public_key');
    expect(await stored('ALI')).toEqual(before);

    // Alipay's own public key pasted as the app's: refused, nothing changes.
    const own = await client.call('PUT', `/apps/${appId}/credentials/ALI`, {
      settings: { alipay_public_key: app.publicPem },
    });
    expect(own.status).toBe(400);
    expect(own.json.error.field).toBe('settings.alipay_public_key');
    expect(await stored('ALI')).toEqual(before);
  });

  it('refuses a field the family does not have', async () => {
    const answer = await client.call('PUT', `/apps/${appId}/credentials/ALI`, {
      settings: { colour: 'red' },
    });
    expect(answer.status).toBe(400);
    expect(answer.json.error.field).toBe('settings.colour');
  });
});

describe('WeChat Pay credentials', () => {
  const merchant = rsaPair();
  const wechat = rsaPair();
  const apiv3Key = 'a'.repeat(16) + 'B'.repeat(16);

  it('keeps the APIv3 key and the merchant key when the serial number is changed alone', async () => {
    const first = await client.call('PUT', `/apps/${appId}/credentials/WX`, {
      settings: {
        mchid: '1900000109',
        appid: 'wx1234567890abcdef',
        merchant_private_key: merchant.privatePem,
        merchant_serial_no: 'ABC123',
        apiv3_key: apiv3Key,
        wechatpay_public_key: wechat.publicPem,
        wechatpay_public_key_id: 'PUB_KEY_ID_0114232134912410000000000000',
      },
    });
    expect(first.status, first.text).toBe(200);
    const second = await client.call('PUT', `/apps/${appId}/credentials/WX`, {
      settings: { merchant_serial_no: 'def456' },
    });
    expect(second.status, second.text).toBe(200);
    const after = (await stored('WX'))!;
    expect(after).toMatchObject({
      apiv3_key: apiv3Key,
      merchant_private_key: merchant.privatePem.trim(),
      merchant_serial_no: 'DEF456',
      mchid: '1900000109',
    });
    for (const answer of [second, await client.call('GET', `/apps/${appId}/credentials`)]) {
      expect(answer.text).not.toContain(apiv3Key);
      expect(answer.text).not.toContain('PRIVATE KEY');
    }
    // A wrong APIv3 key is refused and the stored one stays.
    const bad = await client.call('PUT', `/apps/${appId}/credentials/WX`, {
      settings: { apiv3_key: 'short' },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('settings.apiv3_key');
    expect((await stored('WX'))!.apiv3_key).toBe(apiv3Key);
  });
});

describe('UnionPay credentials', () => {
  let simulator: RunningUnionpaySimulator;
  beforeAll(async () => {
    simulator = await startUnionpaySimulator();
  });
  afterAll(async () => {
    await simulator.close();
  });

  it('keeps the signing key and certificate when the URLs change, and derives cert_id again', async () => {
    const merchant = createMerchantCertificate('777290058110048');
    const registration = simulator.registerMerchant('777290058110048', merchant.certificatePem);
    const first = await client.call('PUT', `/apps/${appId}/credentials/UN`, {
      settings: {
        mer_id: '777290058110048',
        private_key: merchant.privateKeyPem,
        certificate: merchant.certificatePem,
        root_certificate: registration.root_certificate,
        middle_certificate: registration.middle_certificate,
        expected_signer_cn: registration.expected_signer_cn,
        front_url: registration.front_url,
        back_url: registration.back_url,
      },
    });
    expect(first.status, first.text).toBe(200);
    const before = (await stored('UN'))!;
    const second = await client.call('PUT', `/apps/${appId}/credentials/UN`, {
      settings: { back_url: 'https://gateway.example.com/' },
    });
    expect(second.status, second.text).toBe(200);
    const after = (await stored('UN'))!;
    expect(after.private_key).toBe(before.private_key);
    expect(after.certificate).toBe(before.certificate);
    expect(after.cert_id).toBe(before.cert_id);
    expect(after.back_url).toBe('https://gateway.example.com');

    // A certificate of another key is refused: the stored key does not match it.
    const other = createMerchantCertificate('777290058110048');
    const mismatch = await client.call('PUT', `/apps/${appId}/credentials/UN`, {
      settings: { certificate: other.certificatePem },
    });
    expect(mismatch.status).toBe(400);
    expect(mismatch.json.error.field).toBe('settings.certificate');
    expect(await stored('UN')).toEqual(after);
  });
});
