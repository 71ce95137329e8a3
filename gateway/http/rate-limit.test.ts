/** Rate limits over real HTTP: the limit per minute per IP, the BeeCloud 429 answer, and buckets kept apart. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isServerSdkPath } from './rate-limit.ts';
import { postJson, signedOrder, startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({ rateLimit: { writesPerMinute: 3, readsPerMinute: 5 } });
});

afterAll(async () => {
  await gateway?.close();
});

describe('rate limits', () => {
  it('refuses bill creation over the limit with 429, Retry-After and a BeeCloud answer', async () => {
    for (let i = 0; i < 3; i += 1) {
      const { json } = await postJson(`${gateway.url}/2/rest/jsbutton/ALI_WEB`, signedOrder(gateway.app));
      expect(json.resultCode).toBe(0);
    }
    const refused = await postJson(`${gateway.url}/2/rest/jsbutton/ALI_WEB`, signedOrder(gateway.app));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(refused.json).toMatchObject({ result_code: 15, result_msg: 'NETWORK_ERROR' });
    expect(String(refused.json.err_detail)).toMatch(/^rate: /);
  });

  it('counts reads apart from writes, and never limits /healthz', async () => {
    const url = `${gateway.url}/1/pay/jsbutton/returnscripts?appId=${gateway.app.appId}`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await fetch(url)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    for (let i = 0; i < 10; i += 1) expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
  });
});

describe('which paths are the server SDKs’ API', () => {
  it('counts the subscription and auth paths BeeCloud kept outside /2/rest/ with the REST API', () => {
    for (const path of [
      '/2/rest/bill',
      '/2/plan',
      '/2/plan/abc',
      '/2/subscription',
      '/2/subscription/x/charges',
    ]) {
      expect(isServerSdkPath(path)).toBe(true);
    }
    for (const path of ['/2/subscription_banks', '/2/sms', '/2/auth'])
      expect(isServerSdkPath(path)).toBe(true);
    for (const path of ['/2/planner', '/2/smsx', '/1/pay/x', '/console/api/apps', '/2/authorize']) {
      expect(isServerSdkPath(path)).toBe(false);
    }
  });
});
