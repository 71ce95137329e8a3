/**
 * Issue 21 item 9: an app's registered origins (`allowedOrigins`) decide which pages may create its bills. An app
 * with none keeps BeeCloud's behaviour (any page). Requests without Origin or Referer (a merchant's server) pass.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  postJson,
  signedOrder,
  startTestGateway,
  testApp,
  type TestGateway,
} from '../testing/gateway-harness.ts';

let gateway: TestGateway;
const shopApp = testApp({ allowedOrigins: ['https://shop.example'] });

beforeAll(async () => {
  gateway = await startTestGateway({ seedApps: [shopApp] });
});
afterAll(async () => {
  await gateway.close();
});

async function billsOf(appId: string): Promise<number> {
  const { bills } = gateway.ctx.store;
  return (await bills.count({ appId, mode: 'test' }, {})) + (await bills.count({ appId, mode: 'live' }, {}));
}

const create = (app: typeof shopApp, headers: Record<string, string>) =>
  postJson(`${gateway.url}/2/rest/jsbutton/ALI_WEB`, signedOrder(app, {}), headers);

describe('bill creation from a page', () => {
  it('is served to a registered origin, with CORS for that origin', async () => {
    const answer = await create(shopApp, { origin: 'https://shop.example' });
    expect(answer.json).toMatchObject({ resultCode: 0 });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://shop.example');
  });

  it('is refused to another origin, naming origin, and creates no bill', async () => {
    const before = await billsOf(shopApp.appId);
    for (const origin of ['https://evil.example', 'null', 'https://shop.example.evil.example']) {
      const answer = await create(shopApp, { origin });
      expect(answer.json).toMatchObject({ result_msg: 'APP_INVALID' });
      expect(answer.json.err_detail).toMatch(/^origin: .* is not registered for this app/);
    }
    const referred = await create(shopApp, { referer: 'https://evil.example/shop?x=1' });
    expect(referred.json.err_detail).toMatch(/^origin: https:\/\/evil\.example is not registered/);
    const jsonp = await fetch(
      `${gateway.url}/2/rest/jsbutton/ALI_WEB?callback=cb&para=${encodeURIComponent(JSON.stringify(signedOrder(shopApp, {})))}`,
      { headers: { referer: 'https://evil.example/page' } },
    );
    expect(await jsonp.text()).toMatch(/^\/\*\*\/cb\(.*"origin: https:\/\/evil\.example is not registered/);
    expect(await billsOf(shopApp.appId)).toBe(before);
  });

  it('is served to a merchant server (no Origin, no Referer)', async () => {
    expect((await create(shopApp, {})).json).toMatchObject({ resultCode: 0 });
  });

  it('keeps today’s behaviour for an app without registered origins: any page', async () => {
    const answer = await create(gateway.app, { origin: 'https://anywhere.example' });
    expect(answer.json).toMatchObject({ resultCode: 0 });
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
  });
});
