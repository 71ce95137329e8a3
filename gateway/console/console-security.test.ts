/**
 * The console's session security over real HTTP, with the console's clock in the test's hands: sign-in throttled
 * per account and per IP (shared through the store), sessions ending when idle and at their absolute end, and
 * webhook URLs refused when they point inside the network (the gateway's SSRF rule, here not relaxed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restApiModule } from '../rest/rest-module.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { createOperator } from './console-auth.ts';
import { consoleModule } from './console-module.ts';
import { ConsoleClient } from './testing/console-client.ts';

let clock = Date.now();
let gateway: TestGateway;
const password = 'correct horse battery staple';

beforeAll(async () => {
  gateway = await startTestGateway({
    allowPrivateTargets: false,
    modules: [
      restApiModule,
      consoleModule({ now: () => clock, idleMs: 30 * 60_000, absoluteMs: 12 * 3_600_000 }),
    ],
  });
  for (const name of ['alice', 'bob', 'carol', 'dave'])
    await createOperator(gateway.ctx.store, name, password);
});

afterAll(async () => {
  await gateway.close();
});

describe('sign-in throttling', () => {
  it('refuses an account after 5 failures in 15 minutes, even with the right password, then lets it in again', async () => {
    const client = new ConsoleClient(gateway.url);
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const wrong = await client.signIn('alice', `wrong password ${attempt}`, { 'x-test': '1' });
      expect(wrong.status).toBe(401);
    }
    const throttled = await client.signIn('alice', password);
    expect(throttled.status).toBe(429);
    expect(throttled.json.error).toMatchObject({ code: 'throttled' });
    expect(throttled.json.error.retryAfterMs).toBeGreaterThan(14 * 60_000);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(14 * 60);
    // Another account from the same IP is not locked by alice's failures.
    expect((await new ConsoleClient(gateway.url).signIn('bob', password)).status).toBe(200);
    clock += 15 * 60_000 + 1;
    expect((await client.signIn('alice', password)).status).toBe(200);
  });

  it('refuses an IP after 20 failures in 15 minutes, whatever the account', async () => {
    clock += 60 * 60_000;
    const client = new ConsoleClient(gateway.url);
    for (let attempt = 0; attempt < 20; attempt += 1) {
      // Spread over many names so that no single account reaches its own limit.
      const wrong = await client.signIn(`nobody${attempt}`, 'wrong password');
      expect(wrong.status, `attempt ${attempt}`).toBe(401);
    }
    const throttled = await client.signIn('carol', password);
    expect(throttled.status).toBe(429);
    clock += 15 * 60_000 + 1;
    expect((await client.signIn('carol', password)).status).toBe(200);
  });
});

describe('session expiry', () => {
  it('ends a session after 30 minutes idle, and keeps it while it is used', async () => {
    clock += 60 * 60_000;
    const client = new ConsoleClient(gateway.url);
    expect((await client.signIn('dave', password)).status).toBe(200);
    clock += 29 * 60_000;
    expect((await client.call('GET', '/apps')).status).toBe(200);
    clock += 29 * 60_000;
    expect((await client.call('GET', '/apps')).status).toBe(200);
    clock += 30 * 60_000;
    const expired = await client.call('GET', '/apps');
    expect(expired.status).toBe(401);
    expect(expired.json.error.code).toBe('unauthenticated');
  });

  it('ends a session 12 hours after sign-in however busy it is', async () => {
    clock += 60 * 60_000;
    const client = new ConsoleClient(gateway.url);
    expect((await client.signIn('dave', password)).status).toBe(200);
    for (let hour = 0; hour < 11; hour += 1) {
      clock += 20 * 60_000;
      expect((await client.call('GET', '/session')).status).toBe(200);
      clock += 20 * 60_000;
      expect((await client.call('GET', '/session')).status).toBe(200);
      clock += 20 * 60_000;
      expect((await client.call('GET', '/session')).status).toBe(200);
    }
    clock += 20 * 60_000;
    expect((await client.call('GET', '/session')).status).toBe(200);
    clock += 20 * 60_000;
    expect((await client.call('GET', '/session')).status).toBe(200);
    clock += 20 * 60_000 - 1;
    expect((await client.call('GET', '/session')).status).toBe(200);
    clock += 1;
    expect((await client.call('GET', '/session')).status).toBe(401);
  });
});

describe('webhook URLs', () => {
  it('refuses loopback, private and link-local webhook URLs (the SSRF rule), naming the field', async () => {
    clock += 60 * 60_000;
    const client = new ConsoleClient(gateway.url);
    expect((await client.signIn('dave', password)).status).toBe(200);
    for (const [field, url] of [
      ['webhookUrl', 'http://127.0.0.1:3000/hook'],
      ['webhookUrl', 'http://169.254.169.254/latest/meta-data'],
      ['liveWebhookUrl', 'http://10.0.0.5/hook'],
      ['webhookUrl', 'http://localhost/hook'],
    ] as const) {
      const answer = await client.call('POST', '/apps', { name: 'ssrf', [field]: url, mode: 'test' });
      expect(answer.status, url).toBe(400);
      expect(answer.json.error.field).toBe(field);
    }
    const ok = await client.call('POST', '/apps', {
      name: 'public',
      webhookUrl: 'https://shop.example/hook',
    });
    expect(ok.status).toBe(201);
  });
});
