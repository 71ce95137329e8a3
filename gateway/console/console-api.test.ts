/**
 * The console API over real HTTP against a real gateway (SQLite in a temp dir; PostgreSQL under
 * SPAY_TEST_DATABASE=postgres via console-api.postgres.test.ts): every route without a session (401), every change
 * with a missing or wrong CSRF token (403), bad input (400 naming the field), and the happy paths — apps and
 * secrets (shown once, masked after, rotation grace in REST and button signs), the button's script tag,
 * credentials, bills and their CSV, refunds and pre-refund decisions, webhooks, the dashboard and the audit log.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buttonOrderSign, restAppSign } from '../../sdk/sign.ts';
import type { SeedApp } from '../apps/app.ts';
import { paidRestBill, rest } from '../rest/testing/rest-caller.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { ConsoleClient, signedInClient } from './testing/console-client.ts';

let gateway: TestGateway;
let receiver: WebhookReceiver;
let client: ConsoleClient;
let appId: string;
let secrets: Record<string, string>;

/** The console-made app as the REST helpers want it. */
function restApp(): { url: string; app: SeedApp } {
  return {
    url: gateway.url,
    app: {
      appId,
      appSecret: secrets.appSecret!,
      masterSecret: secrets.masterSecret!,
      testSecret: secrets.testSecret!,
      webhookSecret: secrets.webhookSecret!,
      name: 'console shop',
      mode: 'test',
      channels: [],
      webhookUrl: receiver.url,
      liveWebhookUrl: '',
    },
  };
}

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gateway = await startTestGateway();
  client = await signedInClient(gateway);
  const created = await client.call('POST', '/apps', { name: 'console shop', webhookUrl: receiver.url });
  expect(created.status).toBe(201);
  appId = created.json.app.appId;
  secrets = created.json.secrets;
});

afterAll(async () => {
  await gateway.close();
  await receiver.close();
});

const id = () => appId;
/** Every route: method, path, a valid body for changes. */
const routes: Array<{ method: string; path: () => string; body?: unknown }> = [
  { method: 'GET', path: () => '/session' },
  { method: 'DELETE', path: () => '/session' },
  { method: 'GET', path: () => '/apps' },
  { method: 'POST', path: () => '/apps', body: { name: 'x' } },
  { method: 'GET', path: () => `/apps/${id()}` },
  { method: 'PATCH', path: () => `/apps/${id()}`, body: { name: 'y' } },
  { method: 'POST', path: () => `/apps/${id()}/secrets/app-secret/rotate`, body: { confirm: id() } },
  { method: 'GET', path: () => `/apps/${id()}/button` },
  { method: 'PUT', path: () => `/apps/${id()}/button`, body: { channels: ['ali'] } },
  { method: 'GET', path: () => `/apps/${id()}/credentials` },
  { method: 'PUT', path: () => `/apps/${id()}/credentials/ALI`, body: { settings: {} } },
  { method: 'DELETE', path: () => `/apps/${id()}/credentials/ALI` },
  { method: 'POST', path: () => `/apps/${id()}/credentials/ALI/test`, body: {} },
  { method: 'GET', path: () => `/apps/${id()}/bills` },
  { method: 'GET', path: () => `/apps/${id()}/bills.csv` },
  { method: 'GET', path: () => `/apps/${id()}/bills/00000000-0000-0000-0000-000000000000` },
  {
    method: 'POST',
    path: () => `/apps/${id()}/bills/00000000-0000-0000-0000-000000000000/refunds`,
    body: { refundFee: 1 },
  },
  { method: 'GET', path: () => `/apps/${id()}/refunds` },
  { method: 'POST', path: () => `/apps/${id()}/refunds/decisions`, body: { ids: ['x'], agree: true } },
  { method: 'GET', path: () => `/apps/${id()}/webhooks` },
  { method: 'GET', path: () => `/apps/${id()}/webhooks/health` },
  { method: 'GET', path: () => `/apps/${id()}/webhooks/msg_x` },
  { method: 'POST', path: () => `/apps/${id()}/webhooks/resend`, body: { ids: ['msg_x'] } },
  { method: 'GET', path: () => `/apps/${id()}/dashboard` },
  { method: 'GET', path: () => '/audit' },
];

describe('the gate in front of every route', () => {
  it('answers 401 without a session, and with an unknown session cookie', async () => {
    const before = await gateway.ctx.store.console.auditEntries({ appId }, { limit: 200 });
    for (const route of routes) {
      const anonymous = await client.call(route.method, route.path(), route.body, { anonymous: true });
      expect(anonymous.status, `${route.method} ${route.path()}`).toBe(401);
      expect(anonymous.json.error.code).toBe('unauthenticated');
      expect(anonymous.headers.get('cache-control')).toBe('no-store');
      const forged = new ConsoleClient(gateway.url);
      forged.cookie = 'spay_console=forged-session-value';
      forged.csrf = client.csrf;
      const unknown = await forged.call(route.method, route.path(), route.body);
      expect(unknown.status, `${route.method} ${route.path()} forged`).toBe(401);
    }
    // Nothing was changed by any of them.
    expect(await gateway.ctx.store.console.auditEntries({ appId }, { limit: 200 })).toEqual(before);
  });

  it('answers 403 to every change without the CSRF token or with a wrong one', async () => {
    const changes = routes.filter((route) => route.method !== 'GET');
    expect(changes.length).toBe(11);
    const other = await signedInClient(gateway);
    for (const route of changes) {
      for (const csrf of [null, 'wrong-token', other.csrf!]) {
        const answer = await client.call(route.method, route.path(), route.body, { csrf });
        expect(answer.status, `${route.method} ${route.path()} csrf=${csrf}`).toBe(403);
        expect(answer.json.error).toMatchObject({ code: 'csrf', field: 'x-csrf-token' });
      }
    }
    // Still signed in: the refused DELETE /session did nothing.
    expect((await client.call('GET', '/session')).status).toBe(200);
  });

  it('refuses a change whose body is not JSON (415), and unknown console paths answer the console error', async () => {
    const form = await client.call('PATCH', `/apps/${appId}`, undefined, {
      rawBody: 'name=x',
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(form.json.error.code).toBe('unsupported_media_type');
    const signInForm = await client.call('POST', '/session', undefined, {
      rawBody: 'name=x&password=y',
      contentType: 'application/x-www-form-urlencoded',
      anonymous: true,
    });
    expect(signInForm.status).toBe(415);
    const broken = await client.call('PATCH', `/apps/${appId}`, undefined, { rawBody: '{"name":' });
    expect(broken.status).toBe(400);
    expect(broken.json.error).toMatchObject({ code: 'invalid', field: 'body' });
    const missing = await client.call('GET', '/nothing-here');
    expect(missing.status).toBe(404);
    expect(missing.json.error.code).toBe('not_found');
  });
});

describe('bad input names the field (400) and changes nothing', () => {
  it.each([
    ['POST', '/apps', {}, 'name'],
    ['POST', '/apps', { name: '' }, 'name'],
    ['POST', '/apps', { name: 'a', mode: 'prod' }, 'mode'],
    ['POST', '/apps', { name: 'a', webhookUrl: 'ftp://x.example/' }, 'webhookUrl'],
    ['POST', '/apps', { name: 'a', mode: 'live' }, 'mode'],
    [
      'POST',
      '/apps',
      { name: 'a', allowedOrigins: ['https://ok.example', 'https://x.example/path'] },
      'allowedOrigins.1',
    ],
    ['POST', '/apps', { name: 'a', colour: 'red' }, 'colour'],
    ['POST', '/apps', [1, 2], 'body'],
    ['PATCH', '/apps/{app}', { mode: 'live' }, 'mode'],
    ['PATCH', '/apps/{app}', { liveWebhookUrl: 'http://user:pw@x.example/' }, 'liveWebhookUrl'],
    ['PATCH', '/apps/{app}', { name: 'x'.repeat(65) }, 'name'],
    ['POST', '/apps/{app}/secrets/master-secret/rotate', {}, 'confirm'],
    ['POST', '/apps/{app}/secrets/master-secret/rotate', { confirm: 'another-app' }, 'confirm'],
    ['PUT', '/apps/{app}/button', {}, 'channels'],
    ['PUT', '/apps/{app}/button', { channels: ['ali', 'paypal'] }, 'channels.1'],
    ['PUT', '/apps/{app}/button', { channels: ['ali', 'wxmp', 'ali'] }, 'channels.2'],
    ['PUT', '/apps/{app}/credentials/ALI', {}, 'settings'],
    ['PUT', '/apps/{app}/credentials/ALI', { settings: 'x' }, 'settings'],
    [
      'PUT',
      '/apps/{app}/credentials/ALI',
      { settings: { app_id: '2021000000000001' } },
      'settings.app_private_key',
    ],
    ['PUT', '/apps/{app}/credentials/WX', { settings: { mchid: 1 } }, undefined],
    ['PUT', '/apps/{app}/credentials/UN', { settings: { colour: 'red' } }, undefined],
    ['POST', '/apps/{app}/refunds/decisions', { ids: [], agree: true }, 'ids'],
    ['POST', '/apps/{app}/refunds/decisions', { ids: ['a'] }, 'agree'],
    ['POST', '/apps/{app}/webhooks/resend', { ids: 'msg_x' }, 'ids'],
    ['POST', '/apps/{app}/webhooks/resend', { ids: [''] }, 'ids.0'],
    ['GET', '/apps/{app}/bills?limit=0', undefined, 'limit'],
    ['GET', '/apps/{app}/bills?status=lost', undefined, 'status'],
    ['GET', '/apps/{app}/bills?channel=JD', undefined, 'channel'],
    ['GET', '/apps/{app}/bills?from=yesterday', undefined, 'from'],
    ['GET', '/apps/{app}/bills?from=20&to=10', undefined, 'to'],
    ['GET', '/apps/{app}/bills?cursor=bm9wZQ', undefined, 'cursor'],
    ['GET', '/apps/{app}/bills?mode=prod', undefined, 'mode'],
    ['GET', '/apps/{app}/bills.csv?status=lost', undefined, 'status'],
    ['GET', '/apps/{app}/refunds?status=lost', undefined, 'status'],
    ['GET', '/apps/{app}/webhooks?failing=maybe', undefined, 'failing'],
    ['GET', '/apps/{app}/webhooks?status=lost', undefined, 'status'],
    ['GET', '/apps/{app}/dashboard?mode=prod', undefined, 'mode'],
    ['GET', '/audit?limit=500', undefined, 'limit'],
    ['GET', '/audit?cursor=WzEsImEiXQ', undefined, 'cursor'],
  ])('%s %s %j → 400 %s', async (method, path, body, field) => {
    const before = JSON.stringify(await client.call('GET', `/apps/${appId}`));
    const answer = await client.call(method, path.replace('{app}', appId), body);
    expect(answer.status, answer.text).toBe(400);
    expect(answer.json.error.code === 'invalid' || answer.json.error.code === 'confirmation_required').toBe(
      true,
    );
    if (field) expect(answer.json.error.field).toBe(field);
    else expect(String(answer.json.error.field)).toMatch(/^settings\.\w+/);
    expect(typeof answer.json.error.message).toBe('string');
    const after = JSON.stringify(await client.call('GET', `/apps/${appId}`));
    expect(after.replace(/"date":"[^"]*"/, '')).toBe(before.replace(/"date":"[^"]*"/, ''));
  });

  it('answers 404 naming the path parameter for unknown apps, bills, deliveries, kinds and families', async () => {
    for (const [method, path, body, field] of [
      ['GET', '/apps/no-such-app', undefined, 'appId'],
      ['GET', `/apps/${appId}/bills/00000000-0000-0000-0000-000000000000`, undefined, 'billId'],
      ['POST', `/apps/${appId}/bills/nope/refunds`, { refundFee: 1 }, 'billId'],
      ['GET', `/apps/${appId}/webhooks/msg_nope`, undefined, 'id'],
      ['POST', `/apps/${appId}/secrets/root-password/rotate`, { confirm: appId }, 'kind'],
      ['PUT', `/apps/${appId}/credentials/PAYPAL`, { settings: {} }, 'family'],
    ] as const) {
      const answer = await client.call(method, path, body);
      expect(answer.status, path).toBe(404);
      expect(answer.json.error).toMatchObject({ code: 'not_found', field });
    }
  });
});

describe('sessions', () => {
  it('signs in with an HttpOnly SameSite=Strict cookie, answers the session, and signs out for good', async () => {
    const own = await signedInClient(gateway);
    const session = await own.call('GET', '/session');
    expect(session.status).toBe(200);
    expect(session.json.csrfToken).toBe(own.csrf);
    expect(session.json.expiresAt - Date.now()).toBeGreaterThan(11 * 3_600_000);
    expect(session.json.idleExpiresAt - Date.now()).toBeLessThanOrEqual(30 * 60_000);
    const cookie = own.cookie!;
    const out = await own.call('DELETE', '/session');
    expect(out.status).toBe(204);
    const again = new ConsoleClient(gateway.url);
    again.cookie = cookie;
    expect((await again.call('GET', '/session')).status).toBe(401);
  });

  it('sets the cookie attributes, Secure only over https as a trusted proxy says', async () => {
    const plain = new ConsoleClient(gateway.url);
    await signedInClient(gateway); // makes an operator
    const name = `cookie-${Date.now()}`;
    const { createOperator } = await import('./console-auth.ts');
    await createOperator(gateway.ctx.store, name, 'correct horse battery staple');
    const response = await fetch(`${gateway.url}/console/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name, password: 'correct horse battery staple' }),
    });
    const cookie = response.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^spay_console=[A-Za-z0-9_-]{43}; Path=\/console; HttpOnly; SameSite=Strict; Max-Age=43200$/,
    );
    // This gateway trusts no proxy: x-forwarded-proto is ignored, no Secure on plain http.
    const forwarded = await plain.call(
      'POST',
      '/session',
      { name, password: 'correct horse battery staple' },
      { headers: { 'x-forwarded-proto': 'https' } },
    );
    expect(forwarded.headers.get('set-cookie')).not.toMatch(/Secure/);
    const answer = await response.json();
    expect(JSON.stringify(answer)).not.toContain(cookie.split(';')[0]!.split('=')[1]!);
  });

  it('keeps only the SHA-256 of session ids in the store', async () => {
    const own = await signedInClient(gateway);
    const value = own.cookie!.split('=')[1]!;
    const { createHash } = await import('node:crypto');
    const stored = await gateway.ctx.store.console.findSession(
      createHash('sha256').update(value).digest('hex'),
    );
    expect(stored?.operatorName).toMatch(/^op/);
    expect(await gateway.ctx.store.console.findSession(value)).toBeUndefined();
  });

  it('answers a wrong password and an unknown name alike (401)', async () => {
    const anonymous = new ConsoleClient(gateway.url);
    const wrong = await anonymous.call('POST', '/session', { name: 'nobody', password: 'whatever-password' });
    expect(wrong.status).toBe(401);
    expect(wrong.json.error).toEqual({ code: 'unauthenticated', message: 'wrong name or password' });
    const missing = await anonymous.call('POST', '/session', { name: 'x' });
    expect(missing.status).toBe(400);
    expect(missing.json.error.field).toBe('password');
  });
});

describe('apps and secrets', () => {
  it('shows the secrets once, in the creation answer, and masked ever after', async () => {
    const created = await client.call('POST', '/apps', {
      name: 'once',
      allowedOrigins: ['https://shop.example'],
    });
    expect(created.status).toBe(201);
    const { app, secrets: shown } = created.json;
    expect(Object.keys(shown).sort()).toEqual(['appSecret', 'masterSecret', 'testSecret', 'webhookSecret']);
    for (const answer of [
      await client.call('GET', `/apps/${app.appId}`),
      await client.call('GET', '/apps'),
      await client.call('PATCH', `/apps/${app.appId}`, { name: 'renamed' }),
    ]) {
      expect(answer.status).toBe(200);
      for (const value of Object.values(shown) as string[]) expect(answer.text).not.toContain(value);
    }
    const read = await client.call('GET', `/apps/${app.appId}`);
    expect(read.json.app.secrets.appSecret.masked).toBe(`••••${String(shown.appSecret).slice(-4)}`);
    expect(read.json.app).toMatchObject({
      name: 'renamed',
      mode: 'test',
      allowedOrigins: ['https://shop.example'],
    });
  });

  it('switches to live mode only with a live webhook URL, and audits mode and URL changes', async () => {
    const created = await client.call('POST', '/apps', { name: 'modes' });
    const target = created.json.app.appId as string;
    const live = await client.call('PATCH', `/apps/${target}`, {
      mode: 'live',
      liveWebhookUrl: 'https://shop.example/live-hook',
    });
    expect(live.status).toBe(200);
    expect(live.json.app).toMatchObject({ mode: 'live', liveWebhookUrl: 'https://shop.example/live-hook' });
    const emptied = await client.call('PATCH', `/apps/${target}`, { liveWebhookUrl: '' });
    expect(emptied.status).toBe(400);
    expect(emptied.json.error.field).toBe('liveWebhookUrl');
    const audit = await client.call('GET', `/audit?appId=${target}`);
    expect(audit.json.entries.map((entry: { action: string }) => entry.action)).toEqual([
      'app.update',
      'app.create',
    ]);
    expect(audit.json.entries[0].detail.mode).toEqual({ from: 'test', to: 'live' });
    expect(audit.json.entries[0].operator).toMatch(/^op/);
  });

  it('keeps a rotated secret valid for the grace in REST and button signs, then refuses it', async () => {
    const old = { ...restApp() };
    const rotated = await client.call('POST', `/apps/${appId}/secrets/test-secret/rotate`, {
      confirm: appId,
    });
    expect(rotated.status).toBe(200);
    const newSecret = rotated.json.secret as string;
    expect(newSecret).not.toBe(secrets.testSecret);
    expect(rotated.json.previousValidUntil - Date.now()).toBeGreaterThan(23.9 * 3_600_000);
    expect(rotated.json.app.secrets.testSecret).toMatchObject({ masked: `••••${newSecret.slice(-4)}` });
    expect(JSON.stringify(rotated.json.app)).not.toContain(newSecret);
    // The old test secret still signs REST requests within the grace; the new one does too.
    const withOld = await rest(old, { method: 'GET', path: 'rest/bills', payload: {} });
    expect(withOld.json.result_code, withOld.text).toBe(0);
    secrets.testSecret = newSecret;
    expect((await rest(restApp(), { method: 'GET', path: 'rest/bills', payload: {} })).json.result_code).toBe(
      0,
    );

    // The app secret signs the button's order: the previous one is accepted within the grace.
    const oldAppSecret = secrets.appSecret!;
    const appRotated = await client.call('POST', `/apps/${appId}/secrets/app-secret/rotate`, {
      confirm: appId,
    });
    secrets.appSecret = appRotated.json.secret;
    const order = (secret: string) => {
      const outTradeNo = `G${Date.now()}${Math.floor(Math.random() * 1000)}`;
      return {
        appId,
        title: '白开水',
        amount: 1,
        out_trade_no: outTradeNo,
        sign: buttonOrderSign(appId, '白开水', 1, outTradeNo, secret),
      };
    };
    const create = (body: unknown) =>
      fetch(`${gateway.url}/2/rest/jsbutton/WX_NATIVE`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }).then(async (response) => (await response.json()) as Record<string, unknown>);
    expect((await create(order(oldAppSecret))).result_code).toBe(0);
    expect((await create(order(secrets.appSecret!))).result_code).toBe(0);
    expect((await create(order('not-a-secret'))).result_code).not.toBe(0);

    // The master secret: rotate it, then move its grace into the past (an app whose grace is over).
    const oldMaster = secrets.masterSecret!;
    const masterRotated = await client.call('POST', `/apps/${appId}/secrets/master-secret/rotate`, {
      confirm: appId,
    });
    secrets.masterSecret = masterRotated.json.secret;
    const app = (await gateway.ctx.store.apps.findApp(appId))!;
    const ts = Date.now();
    const refundSigned = (secret: string) => ({
      app_id: appId,
      timestamp: ts,
      app_sign: restAppSign(appId, ts, secret),
    });
    const { authenticateApp } = await import('../rest/app-auth.ts');
    const fields = (secret: string) => refundSigned(secret);
    const find = async () => gateway.ctx.store.apps.findApp(appId);
    await expect(
      authenticateApp(fields(oldMaster), { findApp: find, scope: 'master', now: ts }),
    ).resolves.toBeTruthy();
    const afterGrace = app.previousSecrets!.find((secret) => secret.kind === 'master')!.validUntil + 1;
    await expect(
      authenticateApp(fields(oldMaster), {
        findApp: find,
        scope: 'master',
        now: afterGrace,
        timestampWindowMs: 2 * 86_400_000,
      }),
    ).rejects.toThrow(/app_sign/);
    await expect(
      authenticateApp(fields(secrets.masterSecret!), {
        findApp: find,
        scope: 'master',
        now: afterGrace,
        timestampWindowMs: 2 * 86_400_000,
      }),
    ).resolves.toBeTruthy();

    const audit = await client.call('GET', `/audit?appId=${appId}`);
    const rotations = audit.json.entries.filter(
      (entry: { action: string }) => entry.action === 'app.secret.rotate',
    );
    expect(rotations.map((entry: { detail: { secret: string } }) => entry.detail.secret)).toEqual([
      'master',
      'app',
      'test',
    ]);
    for (const value of [oldMaster, oldAppSecret, newSecret]) expect(audit.text).not.toContain(value);
  });
});

describe('the 秒支付 button', () => {
  it('saves the menu order and answers the script tag the gateway serves with that menu', async () => {
    const saved = await client.call('PUT', `/apps/${appId}/button`, { channels: ['wxmp', 'ali', 'un'] });
    expect(saved.status).toBe(200);
    expect(saved.json.channels.map((entry: { code: string }) => entry.code)).toEqual([
      'wxmp',
      'ali',
      'un',
      'aliqr',
      'wx',
      'wxwap',
      'unwap',
    ]);
    expect(saved.json.channels.filter((entry: { enabled: boolean }) => entry.enabled)).toHaveLength(3);
    const src = `${gateway.url}/1/pay/jsbutton/returnscripts?appId=${appId}`;
    expect(saved.json.scriptTag).toBe(`<script id='spay-script' src='${src}'></script>`);
    const script = await (await fetch(src)).text();
    expect(script).toContain('"channels":["wxmp","ali","un"]');
    const read = await client.call('GET', `/apps/${appId}/button`);
    expect(read.json).toEqual(saved.json);
    const audit = await client.call('GET', `/audit?appId=${appId}`);
    expect(audit.json.entries[0]).toMatchObject({
      action: 'button.update',
      detail: { to: ['wxmp', 'ali', 'un'] },
    });
    // The REST payments of the tests below need these channels back.
    await client.call('PUT', `/apps/${appId}/button`, { channels: ['ali', 'wxmp', 'wx', 'un'] });
  });
});

describe('channel credentials', () => {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const { publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const settings = {
    app_id: '2021000000000001',
    mode: 'public_key',
    app_private_key: privatePem,
    alipay_public_key: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };

  it('checks settings with the family parser, stores them sealed, and never answers a key', async () => {
    const saved = await client.call('PUT', `/apps/${appId}/credentials/ALI`, { settings });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.json.credential.configured).toBe(true);
    expect(saved.json.credential.fieldsSet).toEqual(
      expect.arrayContaining(['alipay_public_key', 'app_id', 'app_private_key', 'mode']),
    );
    for (const answer of [
      saved,
      await client.call('GET', `/apps/${appId}/credentials`),
      await client.call('GET', `/apps/${appId}`),
      await client.call('GET', `/audit?appId=${appId}`),
    ]) {
      expect(answer.text).not.toContain('PRIVATE KEY');
      expect(answer.text).not.toContain(privatePem.split('\n')[1]!);
    }
    const listed = await client.call('GET', `/apps/${appId}/credentials`);
    expect(listed.json.credentials.ALI.configured).toBe(true);
    expect(listed.json.credentials.WX).toEqual({ configured: false, fieldsSet: [] });
    const stored = (await gateway.ctx.store.apps.findApp(appId))!.channelSettings.ALI!;
    expect(stored.app_id).toBe('2021000000000001');

    const bad = await client.call('PUT', `/apps/${appId}/credentials/ALI`, {
      settings: {
        ...settings,
        app_private_key: '-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----',
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('settings.app_private_key');
    // The refused save changed nothing.
    expect((await gateway.ctx.store.apps.findApp(appId))!.channelSettings.ALI).toEqual(stored);

    const deleted = await client.call('DELETE', `/apps/${appId}/credentials/ALI`);
    expect(deleted.status).toBe(204);
    expect((await client.call('GET', `/apps/${appId}/credentials`)).json.credentials.ALI.configured).toBe(
      false,
    );
    const noSettings = await client.call('POST', `/apps/${appId}/credentials/ALI/test`, {});
    expect(noSettings.status).toBe(409);
    const actions = (await client.call('GET', `/audit?appId=${appId}&limit=2`)).json.entries.map(
      (entry: { action: string }) => entry.action,
    );
    expect(actions).toEqual(['credentials.delete', 'credentials.save']);
  });
});

describe('bills, refunds and webhooks', () => {
  let paid: { billNo: string; id: string };
  let second: { billNo: string; id: string };

  beforeAll(async () => {
    paid = await paidRestBill(restApp(), { total_fee: 300, title: '咖啡' });
    second = await paidRestBill(restApp(), {
      total_fee: 500,
      title: '茶',
      channel: 'ALI_WEB',
      return_url: 'https://shop.example/paid',
    });
    await rest(restApp(), {
      method: 'POST',
      path: 'rest/bill',
      payload: { channel: 'WX_NATIVE', bill_no: `OPEN${Date.now()}`, total_fee: 7, title: 'open' },
    });
    await receiver.waitFor(2);
  });

  it('lists bills newest first with filters and keyset paging', async () => {
    const all = await client.call('GET', `/apps/${appId}/bills`);
    expect(all.status).toBe(200);
    // Ours and the two the button test made, newest first.
    expect(all.json.bills).toHaveLength(5);
    expect(all.json.nextCursor).toBeNull();
    expect(all.json.bills[1]).toMatchObject({
      id: second.id,
      status: 'paid',
      totalFee: 500,
      subChannel: 'ALI_WEB',
    });
    expect(all.json.bills[2]).toMatchObject({
      id: paid.id,
      status: 'paid',
      totalFee: 300,
      subChannel: 'WX_NATIVE',
    });
    const ids = (answer: { json: Record<string, any> }) =>
      (answer.json.bills as Array<{ id: string }>).map((bill) => bill.id);
    const page1 = await client.call('GET', `/apps/${appId}/bills?limit=2`);
    const page2 = await client.call('GET', `/apps/${appId}/bills?limit=2&cursor=${page1.json.nextCursor}`);
    const page3 = await client.call('GET', `/apps/${appId}/bills?limit=2&cursor=${page2.json.nextCursor}`);
    expect([...ids(page1), ...ids(page2), ...ids(page3)]).toEqual(ids(all));
    expect(page3.json.nextCursor).toBeNull();
    const paidOnly = await client.call('GET', `/apps/${appId}/bills?status=paid&channel=WX`);
    expect(paidOnly.json.bills.map((bill: { id: string }) => bill.id)).toEqual([paid.id]);
    const byNo = await client.call('GET', `/apps/${appId}/bills?billNo=${second.billNo}`);
    expect(byNo.json.bills.map((bill: { id: string }) => bill.id)).toEqual([second.id]);
    const future = await client.call('GET', `/apps/${appId}/bills?from=${Date.now() + 60_000}`);
    expect(future.json.bills).toEqual([]);
    const live = await client.call('GET', `/apps/${appId}/bills?mode=live`);
    expect(live.json.bills).toEqual([]);
  });

  it('exports the filtered list as CSV', async () => {
    const csv = await client.call('GET', `/apps/${appId}/bills.csv?status=paid`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain('attachment; filename="bills-');
    const lines = csv.text
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    expect(lines[0]).toBe(
      'id,bill_no,mode,channel,sub_channel,title,total_fee_fen,status,trade_no,create_time,paid_time,refunded_fee_fen',
    );
    expect(lines).toHaveLength(3);
    expect(
      lines.some((line) => line.startsWith(`${paid.id},${paid.billNo},test,WX,WX_NATIVE,咖啡,300,paid,`)),
    ).toBe(true);
  });

  it('refunds part of a bill, shows it on the bill page, and audits who refunded', async () => {
    const tooMuch = await client.call('POST', `/apps/${appId}/bills/${paid.id}/refunds`, { refundFee: 301 });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.json.error.field).toBe('refundFee');
    const badNo = await client.call('POST', `/apps/${appId}/bills/${paid.id}/refunds`, {
      refundFee: 1,
      refundNo: 'abc',
    });
    expect(badNo.json.error.field).toBe('refundNo');
    const fractional = await client.call('POST', `/apps/${appId}/bills/${paid.id}/refunds`, {
      refundFee: 1.5,
    });
    expect(fractional.json.error.field).toBe('refundFee');

    const refund = await client.call('POST', `/apps/${appId}/bills/${paid.id}/refunds`, { refundFee: 100 });
    expect(refund.status, refund.text).toBe(201);
    expect(refund.json.refund).toMatchObject({ billId: paid.id, refundFee: 100, needApproval: false });
    expect(refund.json.refund.refundNo).toMatch(/^\d{8}[0-9A-F]{16}$/);

    const page = await client.call('GET', `/apps/${appId}/bills/${paid.id}`);
    expect(page.status).toBe(200);
    expect(page.json.bill).toMatchObject({ id: paid.id, tradeNo: expect.any(String) });
    expect(page.json.attempts.map((attempt: { id: string }) => attempt.id)).toEqual([paid.id]);
    expect(page.json.refunds.map((entry: { id: string }) => entry.id)).toEqual([refund.json.refund.id]);
    expect(page.json.webhooks.some((delivery: { type: string }) => delivery.type === 'PAY')).toBe(true);

    const audit = await client.call('GET', `/audit?appId=${appId}&limit=1`);
    expect(audit.json.entries[0]).toMatchObject({
      action: 'refund.create',
      detail: { billId: paid.id, refundFee: 100, needApproval: false },
    });
  });

  it('approves and denies pre-refunds in bulk, one answer per id', async () => {
    const first = await client.call('POST', `/apps/${appId}/bills/${second.id}/refunds`, {
      refundFee: 100,
      needApproval: true,
    });
    const other = await client.call('POST', `/apps/${appId}/bills/${second.id}/refunds`, {
      refundFee: 50,
      needApproval: true,
    });
    expect(first.json.refund.status).toBe('pending_approval');
    const pending = await client.call('GET', `/apps/${appId}/refunds?status=pending_approval`);
    expect(pending.json.refunds.map((entry: { id: string }) => entry.id).sort()).toEqual(
      [first.json.refund.id, other.json.refund.id].sort(),
    );
    const approved = await client.call('POST', `/apps/${appId}/refunds/decisions`, {
      ids: [first.json.refund.id, 'no-such-refund'],
      agree: true,
    });
    expect(approved.status).toBe(200);
    expect(approved.json.results[first.json.refund.id]).toEqual({ ok: true });
    expect(approved.json.results['no-such-refund']).toMatchObject({ ok: false, code: 'not_found' });
    const denied = await client.call('POST', `/apps/${appId}/refunds/decisions`, {
      ids: [other.json.refund.id, first.json.refund.id],
      agree: false,
      denyReason: 'duplicate request',
    });
    expect(denied.json.results[other.json.refund.id]).toEqual({ ok: true });
    expect(denied.json.results[first.json.refund.id]).toMatchObject({ ok: false, code: 'not_pending' });
    const page = await client.call('GET', `/apps/${appId}/bills/${second.id}`);
    const statuses = Object.fromEntries(
      page.json.refunds.map((entry: { id: string; status: string }) => [entry.id, entry.status]),
    );
    expect(statuses[other.json.refund.id]).toBe('denied');
    expect(['processing', 'succeeded']).toContain(statuses[first.json.refund.id]);
    const audit = await client.call('GET', `/audit?appId=${appId}&limit=2`);
    expect(
      audit.json.entries.map((entry: { action: string; detail: { agree: boolean } }) => [
        entry.action,
        entry.detail.agree,
      ]),
    ).toEqual([
      ['refund.decide', false],
      ['refund.decide', true],
    ]);
  });

  it('lists deliveries with their attempts, filters failing ones, resends, and reports receiver health', async () => {
    const deliveries = await client.call('GET', `/apps/${appId}/webhooks`);
    expect(deliveries.status).toBe(200);
    const payDelivery = deliveries.json.deliveries.find(
      (delivery: { type: string; billId: string }) => delivery.type === 'PAY' && delivery.billId === paid.id,
    );
    expect(payDelivery).toMatchObject({ status: 'delivered', targetUrl: receiver.url });
    expect(payDelivery.attempts[0]).toMatchObject({ httpStatus: 200, excerpt: 'success', error: null });
    expect(typeof payDelivery.attempts[0].latencyMs).toBe('number');
    expect((await client.call('GET', `/apps/${appId}/webhooks?failing=true`)).json.deliveries).toEqual([]);
    const one = await client.call('GET', `/apps/${appId}/webhooks/${payDelivery.id}`);
    expect(one.json.delivery.id).toBe(payDelivery.id);

    const before = receiver.received.length;
    const resent = await client.call('POST', `/apps/${appId}/webhooks/resend`, {
      ids: [payDelivery.id, 'msg_nope'],
    });
    expect(resent.json.results).toEqual({
      [payDelivery.id]: { ok: true },
      msg_nope: { ok: false, code: 'not_found', message: 'no delivery of this app with this id' },
    });
    await receiver.waitFor(before + 1);
    const audit = await client.call('GET', `/audit?appId=${appId}&limit=1`);
    expect(audit.json.entries[0]).toMatchObject({
      action: 'webhook.resend',
      detail: { ids: [payDelivery.id] },
    });

    const health = await client.call('GET', `/apps/${appId}/webhooks/health`);
    expect(health.json.test).toMatchObject({ url: receiver.url, failing: 0 });
    expect(health.json.test.delivered24h).toBeGreaterThanOrEqual(2);
    expect(typeof health.json.test.medianLatencyMs).toBe('number');
    expect(health.json.live).toMatchObject({ url: '', pending: 0, delivered24h: 0, medianLatencyMs: null });
  });

  it('sums today and the last 30 days on the dashboard', async () => {
    const dashboard = await client.call('GET', `/apps/${appId}/dashboard`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.json.days).toHaveLength(30);
    const today = dashboard.json.today;
    expect(today.channels).toMatchObject({
      WX_NATIVE: { count: 1, fee: 300 },
      ALI_WEB: { count: 1, fee: 500 },
    });
    expect(today).toMatchObject({ paidCount: 2, paidFee: 800 });
    expect(today.billCount).toBeGreaterThanOrEqual(3);
    expect(today.successRate).toBeCloseTo(2 / today.billCount);
    expect(today.refundCount).toBeGreaterThanOrEqual(1);
    expect(dashboard.json.last30Days.paidFee).toBe(800);
    expect(dashboard.json.days[29].date).toBe(
      new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10),
    );
    expect(dashboard.json.webhooks).toEqual({ pending: expect.any(Number), failing: 0 });
  });
});
