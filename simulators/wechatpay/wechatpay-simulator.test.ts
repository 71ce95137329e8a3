/**
 * The simulator on its own, driven by an independent WeChat Pay v3 client (wechatpay-axios-plugin's Formatter and
 * Rsa sign the requests and verify the answers): request authentication, WeChat's validation rules and error
 * codes, the control API over HTTP, the payer pages, the WeixinJSBridge script and the OAuth stand-in.
 */
import { createPublicKey } from 'node:crypto';
import { request } from 'node:http';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateMerchantCredentials,
  startWechatpaySimulator,
  type MerchantCredentials,
  type WechatpaySimulator,
} from './index.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        headers:
          body === undefined ? headers : { ...headers, 'content-length': String(Buffer.byteLength(body)) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

let sim: WechatpaySimulator;
let credentials: MerchantCredentials;
const merchantKey = generateMerchantCredentials('1900009001');
const mchid = '1900009001';
const appid = 'wxd678efh567hg6787';

beforeAll(async () => {
  sim = await startWechatpaySimulator({ notifyRetryScale: 0.001 });
  credentials = sim.registerMerchant({ mchid, appid, merchant_certificate: merchantKey.certificatePem });
});
afterAll(() => sim.close());

/** A v3 call signed by the independent client; the answer's signature is checked with the WeChat Pay public key. */
async function v3(
  method: 'GET' | 'POST',
  path: string,
  payload?: unknown,
  options: { key?: string; serial?: string; timestamp?: number } = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const body = payload === undefined ? '' : JSON.stringify(payload);
  const timestamp = options.timestamp ?? Formatter.timestamp();
  const nonce = Formatter.nonce();
  const signature = Rsa.sign(
    Formatter.request(method, path, timestamp, nonce, body),
    options.key ?? merchantKey.privateKeyPem,
  );
  const answer = await send(
    `${sim.url}${path}`,
    method,
    {
      authorization: Formatter.authorization(
        mchid,
        nonce,
        signature,
        timestamp,
        options.serial ?? merchantKey.serialNo,
      ),
      accept: 'application/json',
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    payload === undefined ? undefined : body,
  );
  expect(answer.headers['wechatpay-serial']).toBe(credentials.wechatpay_public_key_id);
  const verified = Rsa.verify(
    Formatter.response(
      String(answer.headers['wechatpay-timestamp']),
      String(answer.headers['wechatpay-nonce']),
      answer.body,
    ),
    String(answer.headers['wechatpay-signature']),
    createPublicKey(credentials.wechatpay_public_key),
  );
  expect(verified).toBe(true);
  return {
    status: answer.status,
    json: answer.body === '' ? {} : (JSON.parse(answer.body) as Record<string, unknown>),
  };
}

const order = (extra: Record<string, unknown> = {}) => ({
  appid,
  mchid,
  description: 'Image形象店-深圳腾大-QQ公仔',
  out_trade_no: `sim${Date.now()}${Math.floor(Math.random() * 1e6)}`,
  notify_url: 'https://www.weixin.qq.com/wxpay/pay.php',
  amount: { total: 100, currency: 'CNY' },
  ...extra,
});

describe('request authentication', () => {
  it('answers a correctly signed order, signed with the WeChat Pay public key (the merchant’s key mode)', async () => {
    const answer = await v3('POST', '/v3/pay/transactions/native', order());
    expect(answer.status).toBe(200);
    expect(answer.json.code_url).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  });

  it('SIGN_ERROR for another key, another serial, a stale timestamp or no Authorization', async () => {
    const other = generateMerchantCredentials('x');
    expect(
      await v3('POST', '/v3/pay/transactions/native', order(), { key: other.privateKeyPem }),
    ).toMatchObject({
      status: 401,
      json: { code: 'SIGN_ERROR' },
    });
    expect(
      await v3('POST', '/v3/pay/transactions/native', order(), { serial: other.serialNo }),
    ).toMatchObject({
      status: 401,
      json: { code: 'SIGN_ERROR' },
    });
    expect(
      await v3('POST', '/v3/pay/transactions/native', order(), { timestamp: Formatter.timestamp() - 301 }),
    ).toMatchObject({ status: 401, json: { code: 'SIGN_ERROR' } });
    const bare = await send(
      `${sim.url}/v3/pay/transactions/native`,
      'POST',
      { 'content-type': 'application/json' },
      '{}',
    );
    expect(bare.status).toBe(401);
    expect(JSON.parse(bare.body)).toMatchObject({ code: 'SIGN_ERROR' });
  });

  it('records every API call for tests to assert on', async () => {
    const before = sim.requests().length;
    await v3('GET', `/v3/pay/transactions/out-trade-no/nosuchorder?mchid=${mchid}`);
    const last = sim.requests()[before];
    expect(last).toMatchObject({
      method: 'GET',
      path: `/v3/pay/transactions/out-trade-no/nosuchorder?mchid=${mchid}`,
      status: 404,
    });
    expect(last.headers.authorization).toMatch(/^WECHATPAY2-SHA256-RSA2048 /);
  });
});

describe('validation as WeChat does it', () => {
  it.each<[string, Record<string, unknown>, string, string]>([
    ['a 5-character out_trade_no', { out_trade_no: 'abc12' }, 'PARAM_ERROR', 'out_trade_no'],
    ['a 33-character out_trade_no', { out_trade_no: 'a'.repeat(33) }, 'PARAM_ERROR', 'out_trade_no'],
    ['an out_trade_no with a dot', { out_trade_no: 'abc.123456' }, 'PARAM_ERROR', 'out_trade_no'],
    ['amount.total 0', { amount: { total: 0, currency: 'CNY' } }, 'PARAM_ERROR', 'amount.total'],
    ['amount.total 1.5', { amount: { total: 1.5 } }, 'PARAM_ERROR', 'amount.total'],
    ['currency USD', { amount: { total: 1, currency: 'USD' } }, 'PARAM_ERROR', 'amount.currency'],
    [
      'an http notify_url off 127.0.0.1',
      { notify_url: 'http://shop.example/notify' },
      'PARAM_ERROR',
      'notify_url',
    ],
    [
      'a notify_url with a query',
      { notify_url: 'https://shop.example/notify?a=1' },
      'PARAM_ERROR',
      'notify_url',
    ],
    [
      'a time_expire that is not RFC 3339',
      { time_expire: '2026-12-02 12:00:00' },
      'PARAM_ERROR',
      'time_expire',
    ],
    ['an empty description', { description: '' }, 'PARAM_ERROR', 'description'],
    ['another mchid in the body', { mchid: '1900000000' }, 'PARAM_ERROR', 'mchid'],
  ])('refuses %s', async (_what, extra, code, field) => {
    const answer = await v3('POST', '/v3/pay/transactions/native', order(extra));
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code, detail: { field } });
  });

  it('an appid the merchant is not bound to: APPID_MCHID_NOT_MATCH', async () => {
    expect(
      await v3('POST', '/v3/pay/transactions/native', order({ appid: 'wx0000000000000000' })),
    ).toMatchObject({
      status: 400,
      json: { code: 'APPID_MCHID_NOT_MATCH' },
    });
  });

  it('http notify_url on 127.0.0.1 is allowed (a local trial)', async () => {
    expect(
      await v3('POST', '/v3/pay/transactions/native', order({ notify_url: 'http://127.0.0.1:9/notify' })),
    ).toMatchObject({ status: 200 });
  });

  it('JSAPI needs payer.openid of this appid; H5 needs scene_info with the payer IP and h5_info.type', async () => {
    expect(await v3('POST', '/v3/pay/transactions/jsapi', order())).toMatchObject({
      status: 400,
      json: { detail: { field: 'payer.openid' } },
    });
    expect(
      await v3('POST', '/v3/pay/transactions/jsapi', order({ payer: { openid: credentials.payer_openid } })),
    ).toMatchObject({ status: 200, json: { prepay_id: expect.stringMatching(/^wx/) } });
    expect(await v3('POST', '/v3/pay/transactions/h5', order())).toMatchObject({
      status: 400,
      json: { detail: { field: 'scene_info' } },
    });
    expect(
      await v3(
        'POST',
        '/v3/pay/transactions/h5',
        order({ scene_info: { payer_client_ip: 'localhost', h5_info: { type: 'Wap' } } }),
      ),
    ).toMatchObject({ status: 400, json: { detail: { field: 'scene_info.payer_client_ip' } } });
    expect(
      await v3(
        'POST',
        '/v3/pay/transactions/h5',
        order({ scene_info: { payer_client_ip: '2001:db8::1', h5_info: {} } }),
      ),
    ).toMatchObject({ status: 400, json: { detail: { field: 'scene_info.h5_info.type' } } });
    const h5 = await v3(
      'POST',
      '/v3/pay/transactions/h5',
      order({ scene_info: { payer_client_ip: '2001:db8::1', h5_info: { type: 'Wap' } } }),
    );
    expect(h5.json.h5_url).toMatch(new RegExp(`^${sim.url}/h5/pay\\?prepay_id=wx`));
  });

  it('the same out_trade_no with other parameters: INVALID_REQUEST; paid: ORDERPAID; closed: ORDER_CLOSED', async () => {
    const first = order();
    await v3('POST', '/v3/pay/transactions/native', first);
    expect(
      await v3('POST', '/v3/pay/transactions/native', { ...first, amount: { total: 200, currency: 'CNY' } }),
    ).toMatchObject({ status: 400, json: { code: 'INVALID_REQUEST' } });
    sim.pay(first.out_trade_no as string);
    expect(await v3('POST', '/v3/pay/transactions/native', first)).toMatchObject({
      status: 403,
      json: { code: 'ORDERPAID' },
    });
    const second = order();
    await v3('POST', '/v3/pay/transactions/native', second);
    const closed = await v3('POST', `/v3/pay/transactions/out-trade-no/${second.out_trade_no}/close`, {
      mchid,
    });
    expect(closed).toEqual({ status: 204, json: {} });
    expect(await v3('POST', '/v3/pay/transactions/native', second)).toMatchObject({
      status: 400,
      json: { code: 'ORDER_CLOSED' },
    });
    expect(await v3('POST', `/v3/pay/transactions/out-trade-no/nosuchorder/close`, { mchid })).toMatchObject({
      status: 404,
      json: { code: 'ORDER_NOT_EXIST' },
    });
  });

  it('refunds: unknown order RESOURCE_NOT_EXISTS, unpaid INVALID_REQUEST, wrong total PARAM_ERROR, unknown refund 404', async () => {
    const refund = (outTradeNo: string, extra: Record<string, unknown> = {}) => ({
      out_trade_no: outTradeNo,
      out_refund_no: `R${outTradeNo}`,
      amount: { refund: 1, total: 100, currency: 'CNY' },
      ...extra,
    });
    expect(await v3('POST', '/v3/refund/domestic/refunds', refund('nosuchorder'))).toMatchObject({
      status: 404,
      json: { code: 'RESOURCE_NOT_EXISTS' },
    });
    const unpaid = order();
    await v3('POST', '/v3/pay/transactions/native', unpaid);
    expect(
      await v3('POST', '/v3/refund/domestic/refunds', refund(unpaid.out_trade_no as string)),
    ).toMatchObject({
      status: 400,
      json: { code: 'INVALID_REQUEST' },
    });
    sim.pay(unpaid.out_trade_no as string);
    expect(
      await v3(
        'POST',
        '/v3/refund/domestic/refunds',
        refund(unpaid.out_trade_no as string, { amount: { refund: 1, total: 99, currency: 'CNY' } }),
      ),
    ).toMatchObject({ status: 400, json: { code: 'PARAM_ERROR' } });
    expect(await v3('GET', '/v3/refund/domestic/refunds/nosuchrefund')).toMatchObject({
      status: 404,
      json: { code: 'RESOURCE_NOT_EXISTS' },
    });
  });
});

describe('control API over HTTP, payer pages, bridge and OAuth', () => {
  async function control(method: 'GET' | 'POST', path: string, payload?: unknown) {
    const answer = await send(
      `${sim.url}${path}`,
      method,
      payload === undefined ? {} : { 'content-type': 'application/json' },
      payload === undefined ? undefined : JSON.stringify(payload),
    );
    return { status: answer.status, json: JSON.parse(answer.body) as unknown };
  }

  it('registers merchants, lists and pays orders, sets faults, maps code_url to the scan page', async () => {
    const other = generateMerchantCredentials('1900009002');
    const registered = await control('POST', '/_sim/merchants', {
      mchid: '1900009002',
      appid: 'wx9999999999999999',
      merchant_certificate: other.certificatePem,
      key_mode: 'platform_certificate',
    });
    expect(registered).toMatchObject({
      status: 200,
      json: {
        key_mode: 'platform_certificate',
        platform_serial_no: expect.stringMatching(/^[0-9A-F]+$/),
        wechatpay_public_key_id: expect.stringMatching(/^PUB_KEY_ID_/),
        apiv3_key: expect.stringMatching(/^.{32}$/),
      },
    });
    const created = order();
    const answer = await v3('POST', '/v3/pay/transactions/native', created);
    const codeUrl = answer.json.code_url as string;
    const scan = (await control('GET', `/_sim/scan-url?code_url=${encodeURIComponent(codeUrl)}`)).json as {
      url: string;
    };
    expect(scan.url).toBe(`${sim.url}/scan/${codeUrl.split('pr=')[1]}`);
    expect((await send(scan.url, 'GET', {})).body).toContain('付款 Pay ¥1.00');
    expect(
      await control('POST', `/_sim/orders/${created.out_trade_no}/faults`, { drop_notify: true }),
    ).toMatchObject({
      json: { drop_notify: true },
    });
    expect(await control('POST', `/_sim/orders/${created.out_trade_no}/pay`, {})).toMatchObject({
      status: 200,
      json: { trade_state: 'SUCCESS', transaction_id: expect.stringMatching(/^4200\d{24}$/) },
    });
    expect(await control('GET', `/_sim/orders/${created.out_trade_no}`)).toMatchObject({
      json: { trade_state: 'SUCCESS' },
    });
    expect(await control('POST', `/_sim/orders/${created.out_trade_no}/pay`, {})).toMatchObject({
      status: 403,
      json: { code: 'ORDERPAID' },
    });
    expect(((await control('GET', '/_sim/orders')).json as unknown[]).length).toBeGreaterThan(0);
    expect(Array.isArray((await control('GET', '/_sim/notifies')).json)).toBe(true);
    expect(await control('POST', '/_sim/faults', { api_5xx: 0 })).toMatchObject({ status: 200 });
    expect((await control('GET', '/_sim/orders/nope')).status).toBe(404);
    expect((await send(`${sim.url}/scan/unknown`, 'GET', {})).status).toBe(404);
  });

  it('serves the WeixinJSBridge stand-in', async () => {
    const script = await send(sim.bridgeScriptUrl, 'GET', {});
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body).toContain('getBrandWCPayRequest');
    expect(script.body).toContain('WeixinJSBridgeReady');
  });

  it('OAuth (snsapi_base): authorize redirects with a code; the code gives the payer’s openid once', async () => {
    const authorize = await send(
      `${sim.url}/connect/oauth2/authorize?appid=${appid}&redirect_uri=${encodeURIComponent('https://shop.example/openid?x=1')}&response_type=code&scope=snsapi_base&state=s1#wechat_redirect`,
      'GET',
      {},
    );
    expect(authorize.status).toBe(302);
    const back = new URL(String(authorize.headers.location));
    expect(back.origin + back.pathname).toBe('https://shop.example/openid');
    expect(back.searchParams.get('state')).toBe('s1');
    expect(back.searchParams.get('x')).toBe('1');
    const code = back.searchParams.get('code')!;
    const token = (secret: string) =>
      send(
        `${sim.url}/sns/oauth2/access_token?appid=${appid}&secret=${secret}&code=${code}&grant_type=authorization_code`,
        'GET',
        {},
      ).then((a) => JSON.parse(a.body) as Record<string, unknown>);
    expect(await token('wrong')).toMatchObject({ errcode: 40125 });
    expect(await token(credentials.app_secret)).toMatchObject({
      openid: credentials.payer_openid,
      scope: 'snsapi_base',
    });
    expect(await token(credentials.app_secret)).toMatchObject({ errcode: 40029 });
  });
});
