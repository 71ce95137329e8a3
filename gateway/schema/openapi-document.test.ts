/**
 * The OpenAPI document against the standard and against reality: valid OpenAPI 3.1 (a standard validator); every
 * live route (collected with Fastify's onRoute) documented and every documented operation live; every REST and
 * button route with request and answer schemas; the SDK's REST calls — requests and answers — valid against the
 * document; the webhooks a real payment and refund send valid against the document's `webhooks`; `/docs` under a
 * strict CSP with no script.
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import type { RouteOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SpayClient } from '../../sdk/client.ts';
import { newRefundNo } from '../../sdk/rest-types.ts';
import type { SpayApp } from '../../sdk/app.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { documentCheckingFetch, expectValid } from '../testing/openapi-checks.ts';
import { sandboxClient } from '../../sdk/testing/sandbox-client.ts';
import { startWebhookReceiver, type WebhookReceiver } from '../testing/webhook-receiver.ts';

type Json = Record<string, any>;

let gateway: TestGateway;
let receiver: WebhookReceiver;
let document: Json;
const liveRoutes: { method: string; url: string; schema: RouteOptions['schema'] }[] = [];

/** Routes that are not the API (pages, channel callbacks, operations, the console), so not in the document. */
const undocumented = [
  /^\/console(\/|$)/,
  /^\/sandbox\//,
  /^\/notify\//,
  /^\/wx\/oauth\//,
  /^\/1\/pay\/jsbutton\/(result|guide)\//,
  /^\/(healthz|readyz|metrics)$/,
  /^\/(openapi\.json|docs|docs\/docs\.css)$/,
  /^\*$/, // CORS preflights (OPTIONS *)
];

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gateway = await startTestGateway({
    app: { webhookUrl: receiver.url },
    onRoute: (route) => {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') liveRoutes.push({ method, url: route.url, schema: route.schema });
      }
    },
  });
  document = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as Json;
});

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

const openApiPath = (url: string) => url.replace(/:([A-Za-z_]+)/g, '{$1}');

function documentedOperations(): string[] {
  return Object.entries(document.paths as Json).flatMap(([path, item]) =>
    Object.keys(item as Json)
      .filter((key) => ['get', 'post', 'put', 'delete', 'patch'].includes(key))
      .map((method) => `${method.toUpperCase()} ${path}`),
  );
}

describe('the OpenAPI document', () => {
  it('is valid OpenAPI 3.1 for a standard validator', async () => {
    expect(document.openapi).toBe('3.1.0');
    const result = await new Validator().validate(document as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('documents every API route that is live, and only those', () => {
    const live = liveRoutes
      .filter((route) => !undocumented.some((pattern) => pattern.test(route.url)))
      .map((route) => `${route.method} ${openApiPath(route.url)}`);
    const documented = documentedOperations();
    expect(new Set(live).size).toBeGreaterThan(25);
    // Every live route is documented, and every documented route is live.
    expect([...new Set(live)].sort()).toEqual([...new Set(documented)].sort());
    // Every route left out is a page, a channel callback or an operations route: none under the API's prefixes.
    const left = liveRoutes.filter((route) => undocumented.some((pattern) => pattern.test(route.url)));
    for (const route of left) expect(route.url).not.toMatch(/^\/2\//);
  });

  it('gives every REST and button route a request schema and an answer schema', () => {
    const api = liveRoutes.filter(
      (route) =>
        /^\/(2|1\/pay\/jsbutton)\//.test(route.url) &&
        !undocumented.some((pattern) => pattern.test(route.url)),
    );
    expect(api.length).toBeGreaterThan(25);
    for (const route of api) {
      const schema = (route.schema ?? {}) as Json;
      const label = `${route.method} ${route.url}`;
      expect(schema.body ?? schema.querystring ?? schema.params, label).toBeDefined();
      expect(schema.response?.[200], label).toBeDefined();
      const operation = document.paths[openApiPath(route.url)][route.method.toLowerCase()] as Json;
      expect(operation.responses['200'], label).toBeDefined();
      expect(operation.summary, label).toBeTruthy();
    }
  });

  it('publishes the webhooks the gateway sends', () => {
    expect(Object.keys(document.webhooks as Json).sort()).toEqual(['pay', 'refund', 'transfer']);
  });
});

describe('the SDK against the document', () => {
  it('sends requests and gets answers that the document describes, on every REST call it makes', async () => {
    const checked: string[] = [];
    const checkingFetch = documentCheckingFetch(document, (call) => {
      checked.push(`${call.method} ${call.pathname.replace(/\/[^/]*-[^/]*$/, '/{id}')}`);
    });
    const seed = gateway.app;
    const app: SpayApp = {
      appId: seed.appId,
      appSecret: seed.appSecret,
      masterSecret: seed.masterSecret,
      testSecret: seed.testSecret,
      webhookSecret: seed.webhookSecret,
      testMode: true,
      gatewayUrl: gateway.url,
    };
    const client = new SpayClient(app, { fetch: checkingFetch });
    const billNo = `oa${Date.now()}`;
    const bill = await client.orThrow.pay({
      channel: 'WX_NATIVE',
      total_fee: 300,
      bill_no: billNo,
      title: '文档',
      optional: { cart: 'c1' },
      analysis: { os: 'ios' },
    });
    await client.orThrow.sandbox.notify(bill.id);
    await client.orThrow.billById(bill.id);
    await client.orThrow.bills({ bill_no: billNo, need_detail: true, limit: 5 });
    await client.orThrow.billsCount({ channel: 'WX', spay_result: true });
    const refundNo = newRefundNo();
    const refund = await client.orThrow.refund({ refund_no: refundNo, bill_no: billNo, refund_fee: 100 });
    await client.orThrow.refundById(refund.id);
    await client.orThrow.refunds({ bill_no: billNo });
    await client.orThrow.refundsCount({ bill_no: billNo });
    await client.orThrow.refundStatus({ channel: 'WX', refund_no: refundNo });
    const preRefundNo = newRefundNo();
    const pre = await client.orThrow.refund({
      refund_no: preRefundNo,
      bill_no: billNo,
      refund_fee: 50,
      need_approval: true,
    });
    await client.orThrow.approveRefunds({ channel: 'WX', ids: [pre.id], agree: false, deny_reason: 'no' });
    await client.orThrow.sandbox.pay({
      channel: 'ALI_WEB',
      total_fee: 1,
      bill_no: `sb${Date.now()}`,
      title: 'x',
      return_url: 'https://shop.example/r',
    });
    await client.orThrow.sandbox.bills({ limit: 1 });
    await client.orThrow.sandbox.billsCount({});
    await client.orThrow.transfer({
      channel: 'WX_TRANSFER',
      transfer_no: `tr${Date.now()}`,
      total_fee: 100,
      desc: 'thanks',
      channel_user_id: 'oOpenid0001',
    });
    await client.orThrow.cardTransfer({
      total_fee: 100,
      bill_no: `card${Date.now()}`,
      title: '打款',
      bank_code: 'BOC',
      bank_associated_code: '0',
      bank_fullname: '中国银行',
      card_type: 'DE',
      account_type: 'P',
      account_no: '6222000011112222',
      account_name: '张三',
    });
    await client.orThrow.batchTransfer({
      channel: 'ALI',
      batch_no: `batch${Date.now()}`,
      account_name: '某某公司',
      transfer_data: [
        {
          transfer_id: 'a1',
          receiver_account: 'a@example.com',
          receiver_name: '甲',
          transfer_fee: 1,
          transfer_note: 'n',
        },
      ],
    });
    await client.orThrow.transfers({ limit: 5 });
    await client.orThrow.transfersCount({});
    await client.orThrow.transferBanks('P_DE');
    expect(checked).toHaveLength(21);
    expect(new Set(checked.map((call) => call.split(' ')[0])).size).toBe(3);
  });

  it('does the same for its user, coupon, offline and international calls', async () => {
    // The subscription and card-auth calls are checked in gateway/rest/subscription-schemas.test.ts.
    const checked = new Set<string>();
    const { app } = sandboxClient({ gateway, receiver });
    const client = new SpayClient(app, {
      fetch: documentCheckingFetch(document, (call) => checked.add(`${call.method} ${call.template}`)),
    }).orThrow;
    const stamp = Date.now();
    const buyer = `oa-buyer-${stamp}`;
    await client.addUser(buyer);
    await client.addUsers('oa@example.com', [`${buyer}-2`]);
    await client.users({ email: 'oa@example.com' });
    const historyNo = `oah${stamp}`;
    await client.pay({ channel: 'WX_NATIVE', bill_no: historyNo, title: 'history', total_fee: 1 });
    await client.attachHistoryBills({ [buyer]: [historyNo] });
    const { coupon_template: template } = await client.createCouponTemplate({
      name: `OA ${stamp}`,
      type: 1,
      discount: '0.9',
    });
    await client.couponTemplate(template.id);
    await client.couponTemplates({ name: `OA ${stamp}` });
    const { coupon } = await client.issueCoupon(template.id, buyer);
    await client.coupon(coupon.id);
    await client.coupons({ user_id: buyer });
    await client.couponsCount({ user_id: buyer, status: 0 });
    await client.setCouponTemplateStatus(template.id, -1);

    const paidNo = `OAOFF${stamp}1`;
    await client.offlinePay({
      channel: 'ALI_SCAN',
      bill_no: paidNo,
      title: '条码',
      total_fee: 300,
      auth_code: '280000000000000010',
    });
    await client.offlineBillStatus({ bill_no: paidNo });
    const chinaDate = new Date(stamp + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
    await client.offlineRefund({
      bill_no: paidNo,
      refund_no: `${chinaDate}${String(stamp).slice(-8)}`,
      refund_fee: 300,
    });
    const waitingNo = `OAOFF${stamp}2`;
    await client.offlinePay({
      channel: 'WX_SCAN',
      bill_no: waitingNo,
      title: '撤销',
      total_fee: 100,
      auth_code: '130000000000000003',
    });
    await client.offlineRevert(waitingNo, 'WX_SCAN');
    await client.internationalPay({
      channel: 'PAYPAL_PAYPAL',
      bill_no: `OAINT${stamp}`,
      title: 'paypal',
      total_fee: 100,
      currency: 'JPY',
      return_url: 'https://shop.example/back',
    });
    expect([...checked].sort()).toEqual(
      [
        'POST /2/rest/user',
        'POST /2/rest/users',
        'GET /2/rest/users',
        'POST /2/rest/bill',
        'PUT /2/rest/history_bills',
        'POST /2/rest/coupon/template',
        'GET /2/rest/coupon/template/{id}',
        'GET /2/rest/coupon/template',
        'POST /2/rest/coupon',
        'GET /2/rest/coupon/{id}',
        'GET /2/rest/coupon',
        'PUT /2/rest/coupon/template/{id}',
        'POST /2/rest/offline/bill',
        'POST /2/rest/offline/bill/status',
        'POST /2/rest/offline/refund',
        'POST /2/rest/offline/bill/{bill_no}',
        'POST /2/rest/international/bill',
      ].sort(),
    );
  });

  it('sends webhooks that the document’s `webhooks` describe (a real PAY and REFUND)', async () => {
    const deliveries = await receiver.waitFor(2, 10_000);
    const types = new Set<string>();
    for (const delivery of deliveries) {
      const body = JSON.parse(delivery.body) as Json;
      const name = String(body.transaction_type).toLowerCase();
      const post = document.webhooks[name].post as Json;
      expectValid(post.requestBody.content['application/json'].schema as Json, body, `webhook ${name}`);
      for (const header of post.parameters as Json[]) {
        if (header.required) expect(delivery.headers[header.name], header.name).toBeTruthy();
      }
      types.add(name);
    }
    expect(types.has('pay')).toBe(true);
  });
});

describe('/docs', () => {
  it('renders every documented operation on the server, with no script, under a strict CSP', async () => {
    const response = await fetch(`${gateway.url}/docs`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    const policy = String(response.headers.get('content-security-policy'));
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toContain('unsafe-inline');
    const page = await response.text();
    expect(page).not.toMatch(/<script|\son[a-z]+=|style="/i);
    for (const operation of documentedOperations()) {
      const [method, path] = operation.split(' ');
      expect(page, operation).toContain(`${method} ${path}`);
    }
    const stylesheet = await fetch(`${gateway.url}/docs/docs.css`);
    expect(stylesheet.headers.get('content-type')).toMatch(/^text\/css/);
  });
});
