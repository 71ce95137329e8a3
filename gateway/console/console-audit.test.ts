/**
 * The audit log over real HTTP: every change the console makes — mode, webhook URL, button channels, channel
 * credentials, secrets, refunds, pre-refund decisions, webhook resends — leaves one entry naming who made it and
 * when, newest first; a refused change leaves none; no entry carries a secret.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SeedApp } from '../apps/app.ts';
import { paidRestBill } from '../rest/testing/rest-caller.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { signedInClient, type ConsoleClient } from './testing/console-client.ts';

let gateway: TestGateway;
let receiver: WebhookReceiver;
let alice: ConsoleClient;
let bob: ConsoleClient;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gateway = await startTestGateway();
  alice = await signedInClient(gateway);
  bob = await signedInClient(gateway);
});

afterAll(async () => {
  await gateway.close();
  await receiver.close();
});

interface Entry {
  id: number;
  at: number;
  operator: string;
  appId: string | null;
  action: string;
  detail: Record<string, unknown>;
}

describe('the audit log', () => {
  it('records who made each change and when', async () => {
    const startedAt = Date.now();
    const created = await alice.call('POST', '/apps', { name: 'audited shop', webhookUrl: receiver.url });
    expect(created.status, created.text).toBe(201);
    const appId: string = created.json.app.appId;
    const secrets: Record<string, string> = created.json.secrets;
    const names = { alice: '', bob: '' };
    names.alice = (await alice.call('GET', '/session')).json.operator.name;
    names.bob = (await bob.call('GET', '/session')).json.operator.name;
    const steps: Array<[ConsoleClient, string]> = [[alice, 'app.create']];
    const expectStatus = (answer: { status: number; text: string }, status: number) =>
      expect(answer.status, answer.text).toBe(status);

    // Mode (live needs a live webhook URL first) and the webhook URL.
    expectStatus(await bob.call('PATCH', `/apps/${appId}`, { liveWebhookUrl: receiver.url }), 200);
    steps.push([bob, 'app.update']);
    expectStatus(await bob.call('PATCH', `/apps/${appId}`, { mode: 'live' }), 200);
    steps.push([bob, 'app.update']);
    expectStatus(await alice.call('PATCH', `/apps/${appId}`, { mode: 'test' }), 200);
    steps.push([alice, 'app.update']);
    // Channels of the button.
    expectStatus(await bob.call('PUT', `/apps/${appId}/button`, { channels: ['un', 'ali', 'wxmp'] }), 200);
    steps.push([bob, 'button.update']);
    // Credentials: saved, then deleted.
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expectStatus(
      await alice.call('PUT', `/apps/${appId}/credentials/ALI`, {
        settings: {
          app_id: '2021000000000003',
          app_private_key: privatePem,
          alipay_public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
        },
      }),
      200,
    );
    steps.push([alice, 'credentials.save']);
    expectStatus(await bob.call('DELETE', `/apps/${appId}/credentials/ALI`), 204);
    steps.push([bob, 'credentials.delete']);
    // A secret.
    const rotated = await alice.call('POST', `/apps/${appId}/secrets/master-secret/rotate`, {
      confirm: appId,
    });
    expectStatus(rotated, 200);
    steps.push([alice, 'app.secret.rotate']);
    // A refund and a pre-refund approved, on a bill paid through the REST API.
    const app: SeedApp = {
      appId,
      appSecret: secrets.appSecret!,
      masterSecret: rotated.json.secret,
      testSecret: secrets.testSecret!,
      webhookSecret: secrets.webhookSecret!,
      name: 'audited shop',
      mode: 'test',
      channels: [],
      webhookUrl: receiver.url,
      liveWebhookUrl: receiver.url,
    };
    const paid = await paidRestBill({ url: gateway.url, app }, { total_fee: 300, title: 'tea' });
    await receiver.waitFor(1);
    expectStatus(await bob.call('POST', `/apps/${appId}/bills/${paid.id}/refunds`, { refundFee: 100 }), 201);
    steps.push([bob, 'refund.create']);
    const pre = await alice.call('POST', `/apps/${appId}/bills/${paid.id}/refunds`, {
      refundFee: 50,
      needApproval: true,
    });
    expectStatus(pre, 201);
    steps.push([alice, 'refund.create']);
    const decided = await bob.call('POST', `/apps/${appId}/refunds/decisions`, {
      ids: [pre.json.refund.id],
      agree: true,
    });
    expect(decided.json.results[pre.json.refund.id]).toEqual({ ok: true });
    steps.push([bob, 'refund.decide']);
    // A webhook resent.
    const delivery = (await alice.call('GET', `/apps/${appId}/webhooks`)).json.deliveries.at(-1);
    expectStatus(await alice.call('POST', `/apps/${appId}/webhooks/resend`, { ids: [delivery.id] }), 200);
    steps.push([alice, 'webhook.resend']);

    // Refused changes leave nothing.
    expectStatus(await bob.call('PATCH', `/apps/${appId}`, { mode: 'nope' }), 400);
    expectStatus(await bob.call('PUT', `/apps/${appId}/button`, { channels: ['paypal'] }), 400);
    expectStatus(await bob.call('PUT', `/apps/${appId}/credentials/WX`, { settings: { mchid: 'x' } }), 400);
    expectStatus(await bob.call('POST', `/apps/${appId}/secrets/app-secret/rotate`, { confirm: 'no' }), 400);
    expectStatus(await bob.call('POST', `/apps/${appId}/bills/${paid.id}/refunds`, { refundFee: 1000 }), 400);

    const audit = await alice.call('GET', `/audit?appId=${appId}&limit=200`);
    const entries: Entry[] = audit.json.entries;
    const nameOf = (client: ConsoleClient) => (client === alice ? names.alice : names.bob);
    expect(entries.map((entry) => [entry.operator, entry.action])).toEqual(
      steps.map(([client, action]) => [nameOf(client), action]).reverse(),
    );
    for (const [index, entry] of entries.entries()) {
      expect(entry.appId).toBe(appId);
      expect(entry.at).toBeGreaterThanOrEqual(startedAt);
      expect(entry.at).toBeLessThanOrEqual(Date.now());
      if (index > 0) expect(entry.at).toBeLessThanOrEqual(entries[index - 1]!.at);
    }
    const details = (action: string) =>
      entries.filter((entry) => entry.action === action).map((e) => e.detail);
    expect(details('app.update')).toEqual([
      { mode: { from: 'live', to: 'test' } },
      { mode: { from: 'test', to: 'live' } },
      { liveWebhookUrl: { from: '', to: receiver.url } },
    ]);
    expect(details('button.update')[0]).toMatchObject({ to: ['un', 'ali', 'wxmp'] });
    expect(details('credentials.save')[0]).toMatchObject({
      family: 'ALI',
      fieldsEntered: ['alipay_public_key', 'app_id', 'app_private_key'],
    });
    expect(details('credentials.delete')[0]).toMatchObject({ family: 'ALI' });
    expect(details('app.secret.rotate')[0]).toMatchObject({ secret: 'master' });
    expect(details('refund.create').map((detail) => [detail.refundFee, detail.needApproval])).toEqual([
      [50, true],
      [100, false],
    ]);
    expect(details('refund.decide')[0]).toMatchObject({ refundId: pre.json.refund.id, agree: true });
    expect(details('webhook.resend')[0]).toEqual({ ids: [delivery.id] });
    for (const value of [...Object.values(secrets), rotated.json.secret, privatePem.split('\n')[1]!]) {
      expect(audit.text).not.toContain(value);
    }
  });
});
