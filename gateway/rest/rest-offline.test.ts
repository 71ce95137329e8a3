/**
 * The offline (线下) REST API over real HTTP, in the sandbox: payment codes scanned by the till (paid at once,
 * waiting for the payer's password then settled, refused, never confirmed), QR codes for the till's screen, the
 * status query, REVERT and the offline refund — each payment one PAY webhook through the outbox; bad requests name
 * their field with BeeCloud's result code and change nothing.
 */
import { describe, expect, it } from 'vitest';
import { verifyWebhook, type WebhookBody } from '../../sdk/webhook.ts';
import { sandboxPaymentCodeBehaviour } from '../channels/sandbox-adapter.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { moneySnapshot, newBillNo, newRefundNo, rest, type RestAnswer } from './testing/rest-caller.ts';

const harness = useGatewayWithReceiver({});

let serial = 0;
/** A payment code of the channel whose last digit picks the sandbox's behaviour (sandbox-adapter.ts). */
function authCode(channel: 'WX_SCAN' | 'ALI_SCAN', last: string): string {
  serial += 1;
  const middle = `${Date.now()}${String(serial).padStart(3, '0')}`.slice(-15);
  return `${channel === 'WX_SCAN' ? '13' : '28'}${middle}${last}`;
}

function offlineBill(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { channel: 'ALI_SCAN', bill_no: newBillNo(), title: '白开水', total_fee: 150, ...overrides };
}

const pay = (payload: Record<string, unknown>) =>
  rest(harness.gateway, { method: 'POST', path: 'rest/offline/bill', payload });
const status = (payload: Record<string, unknown>) =>
  rest(harness.gateway, { method: 'POST', path: 'rest/offline/bill/status', payload });
const revert = (billNo: string, payload: Record<string, unknown> = { method: 'REVERT' }) =>
  rest(harness.gateway, { method: 'POST', path: `rest/offline/bill/${billNo}`, payload });
const refund = (payload: Record<string, unknown>) =>
  rest(harness.gateway, { method: 'POST', path: 'rest/offline/refund', payload, secret: 'masterSecret' });

async function payWebhook(transactionId: string): Promise<WebhookBody> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    for (const received of harness.receiver.received) {
      const verified = verifyWebhook(received.body, received.headers, {
        ...harness.gateway.app,
        testMode: true,
      });
      if (!verified.ok) throw new Error(verified.message);
      if (verified.webhook.transaction_id === transactionId && verified.webhook.transaction_type === 'PAY') {
        return verified.webhook;
      }
    }
    if (Date.now() > deadline) throw new Error(`no PAY webhook for ${transactionId}`);
    await harness.receiver
      .waitFor(harness.receiver.received.length + 1, Math.max(1, deadline - Date.now()))
      .catch(() => []);
  }
}

/** Asks offline/bill/status until it answers what `until` wants (the till polls the same way). */
async function statusUntil(billNo: string, until: (answer: RestAnswer) => boolean): Promise<RestAnswer> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const answer = await status({ bill_no: billNo });
    if (until(answer)) return answer;
    if (Date.now() > deadline) throw new Error(`status of ${billNo} stayed ${answer.text}`);
  }
}

describe('payment codes (WX_SCAN, ALI_SCAN)', () => {
  it('books a payment code paid at once: pay_result true, one PAY webhook, status paid', async () => {
    const bill = offlineBill({
      auth_code: authCode('ALI_SCAN', '0'),
      store_id: 'NJ_001',
      optional: { till: '3' },
    });
    const paid = await pay(bill);
    expect(paid.json).toMatchObject({ result_code: 0, pay_result: true });
    expect(String(paid.json.id)).toMatch(/^[0-9a-f-]{36}$/);
    const webhook = await payWebhook(String(bill.bill_no));
    expect(webhook).toMatchObject({
      channel_type: 'ALI',
      sub_channel_type: 'ALI_SCAN',
      transaction_fee: 150,
      trade_success: true,
      optional: { till: '3' },
    });
    expect((await status({ bill_no: bill.bill_no, channel: 'ALI_SCAN' })).json).toMatchObject({
      result_code: 0,
      pay_result: true,
      id: paid.json.id,
    });
    const listed = await rest(harness.gateway, {
      method: 'GET',
      path: 'rest/bills',
      payload: { bill_no: bill.bill_no, channel: 'ALI_SCAN' },
    });
    expect(listed.json).toMatchObject({ count: 1, bills: [{ sub_channel: 'ALI_SCAN', spay_result: true }] });
  });

  it("leaves a payment code waiting for the payer's password open, then settles it on a status query", async () => {
    harness.gateway.ctx.core.registry.sandbox.scanSettleMs = 100;
    const code = authCode('WX_SCAN', '1');
    expect(sandboxPaymentCodeBehaviour(code)).toBe('waiting');
    const bill = offlineBill({ channel: 'WX_SCAN', auth_code: code });
    const waiting = await pay(bill);
    expect(waiting.json).toMatchObject({ result_code: 0, pay_result: false });
    const settled = await statusUntil(String(bill.bill_no), (answer) => answer.json.pay_result === true);
    expect(settled.json).toMatchObject({ result_code: 0, id: waiting.json.id });
    const webhook = await payWebhook(String(bill.bill_no));
    expect(webhook).toMatchObject({ channel_type: 'WX', sub_channel_type: 'WX_SCAN', transaction_fee: 150 });
    expect((await revert(String(bill.bill_no))).json).toMatchObject({ result_code: 0, revert_status: false });
  });

  it('answers a refused payment code with CHANNEL_ERROR naming auth_code and closes the bill', async () => {
    const bill = offlineBill({ auth_code: authCode('ALI_SCAN', '2') });
    const refused = await pay(bill);
    expect(refused.json).toMatchObject({ result_code: 7, result_msg: 'CHANNEL_ERROR' });
    expect(String(refused.json.err_detail)).toMatch(/^auth_code: .*NOT_ENOUGH/);
    expect((await status({ bill_no: bill.bill_no })).json).toMatchObject({
      result_code: 0,
      pay_result: false,
    });
    const listed = await rest(harness.gateway, {
      method: 'GET',
      path: 'rest/bills',
      payload: { bill_no: bill.bill_no },
    });
    expect(listed.json).toMatchObject({ count: 1, bills: [{ spay_result: false }] });
  });

  it('reverts a payment the payer never confirms; a second REVERT answers the same', async () => {
    const bill = offlineBill({ channel: 'WX_SCAN', auth_code: authCode('WX_SCAN', '3') });
    const waiting = await pay(bill);
    expect(waiting.json).toMatchObject({ result_code: 0, pay_result: false });
    expect((await revert(String(bill.bill_no))).json).toMatchObject({ result_code: 0, revert_status: true });
    expect((await revert(String(bill.bill_no), { method: 'REVERT', channel: 'WX' })).json).toMatchObject({
      result_code: 0,
      revert_status: true,
    });
    expect((await status({ bill_no: bill.bill_no })).json).toMatchObject({ pay_result: false });
    const bills = await harness.gateway.ctx.store.bills.attemptsOf(
      harness.gateway.app.appId,
      'test',
      String(bill.bill_no),
    );
    expect(bills.map((one) => one.status)).toEqual(['closed']);
  });
});

describe('QR codes for the till (WX_NATIVE, ALI_OFFLINE_QRCODE)', () => {
  for (const channel of ['WX_NATIVE', 'ALI_OFFLINE_QRCODE'] as const) {
    it(`answers ${channel} with a code_url the payer pays on, then status is paid`, async () => {
      const bill = offlineBill({ channel });
      const made = await pay(bill);
      expect(made.json).toMatchObject({ result_code: 0 });
      const codeUrl = String(made.json.code_url);
      expect(codeUrl).toMatch(
        new RegExp(`/sandbox/${channel === 'WX_NATIVE' ? 'wx' : 'ali'}/scan/${String(made.json.id)}$`),
      );
      expect((await status({ bill_no: bill.bill_no })).json).toMatchObject({ pay_result: false });
      const paid = await fetch(`${codeUrl}/pay`, { method: 'POST', redirect: 'manual' });
      expect(paid.status).toBeLessThan(400);
      expect((await status({ bill_no: bill.bill_no })).json).toMatchObject({ pay_result: true });
      expect(await payWebhook(String(bill.bill_no))).toMatchObject({ sub_channel_type: channel });
    });
  }
});

describe('offline refunds (POST /2/rest/offline/refund)', () => {
  it('refunds a paid payment-code bill at once: refund_result true, REFUND webhook', async () => {
    const bill = offlineBill({ auth_code: authCode('ALI_SCAN', '5') });
    expect((await pay(bill)).json).toMatchObject({ pay_result: true });
    const refundNo = newRefundNo();
    const refunded = await refund({
      bill_no: bill.bill_no,
      refund_no: refundNo,
      refund_fee: 100,
      channel: 'ALI',
      refund_reason: '正常退款',
      operator_id: 'OP001',
      store_id: 'NJ_S_001',
    });
    expect(refunded.json).toMatchObject({ result_code: 0, refund_result: true });
    expect(String(refunded.json.id)).toMatch(/^[0-9a-f-]{36}$/);
    await harness.receiver.waitFor(1);
    const again = await refund({ bill_no: bill.bill_no, refund_no: newRefundNo(), refund_fee: 100 });
    expect(again.json).toMatchObject({ result_code: 12, result_msg: 'REFUND_AMOUNT_TOO_LARGE' });
  });
});

describe('bad offline requests name their field and change nothing', () => {
  const code = () => authCode('ALI_SCAN', '0');
  const cases: Array<[string, () => Promise<RestAnswer>, number, string]> = [
    ['bill: no channel', () => pay(offlineBill({ channel: undefined, auth_code: code() })), 4, 'channel'],
    ['bill: online channel', () => pay(offlineBill({ channel: 'ALI_WEB' })), 3, 'channel'],
    [
      'bill: unknown channel',
      () => pay(offlineBill({ channel: 'BC_ALI_SCAN', auth_code: code() })),
      3,
      'channel',
    ],
    ['bill: no auth_code', () => pay(offlineBill()), 4, 'auth_code'],
    [
      'bill: WeChat code for Alipay',
      () => pay(offlineBill({ auth_code: '134567890123456780' })),
      5,
      'auth_code',
    ],
    [
      'bill: Alipay code for WeChat',
      () => pay(offlineBill({ channel: 'WX_SCAN', auth_code: code() })),
      5,
      'auth_code',
    ],
    ['bill: auth_code not digits', () => pay(offlineBill({ auth_code: '28abc' })), 5, 'auth_code'],
    [
      'bill: auth_code on a QR channel',
      () => pay(offlineBill({ channel: 'WX_NATIVE', auth_code: code() })),
      5,
      'auth_code',
    ],
    ['bill: total_fee 0', () => pay(offlineBill({ total_fee: 0, auth_code: code() })), 5, 'total_fee'],
    ['bill: total_fee float', () => pay(offlineBill({ total_fee: 1.5, auth_code: code() })), 5, 'total_fee'],
    [
      'bill: total_fee missing',
      () => pay(offlineBill({ total_fee: undefined, auth_code: code() })),
      4,
      'total_fee',
    ],
    ['bill: bill_no short', () => pay(offlineBill({ bill_no: 'abc', auth_code: code() })), 5, 'bill_no'],
    ['bill: title missing', () => pay(offlineBill({ title: undefined, auth_code: code() })), 4, 'title'],
    ['bill: store_id bad', () => pay(offlineBill({ store_id: 'a b', auth_code: code() })), 5, 'store_id'],
    [
      'bill: terminal_id long',
      () => pay(offlineBill({ terminal_id: 'T'.repeat(33), auth_code: code() })),
      5,
      'terminal_id',
    ],
    [
      'bill: notify_url not http',
      () => pay(offlineBill({ notify_url: 'ftp://x', auth_code: code() })),
      5,
      'notify_url',
    ],
    [
      'bill: app_sign wrong',
      () =>
        rest(harness.gateway, {
          method: 'POST',
          path: 'rest/offline/bill',
          payload: offlineBill({ auth_code: code() }),
          secret: 'masterSecret',
        }),
      1,
      'app_sign',
    ],
    ['status: bill_no missing', () => status({}), 4, 'bill_no'],
    ['status: bill_no bad', () => status({ bill_no: 'no!' }), 5, 'bill_no'],
    ['status: unknown bill', () => status({ bill_no: newBillNo() }), 8, 'bill_no'],
    ['status: channel unknown', () => status({ bill_no: newBillNo(), channel: 'JD' }), 3, 'channel'],
    ['revert: method missing', () => revert(newBillNo(), {}), 4, 'method'],
    ['revert: method not REVERT', () => revert(newBillNo(), { method: 'CLOSE' }), 5, 'method'],
    ['revert: bill_no bad', () => revert('short', { method: 'REVERT' }), 5, 'bill_no'],
    ['revert: unknown bill', () => revert(newBillNo(), { method: 'REVERT' }), 8, 'bill_no'],
    [
      'refund: app secret',
      () =>
        rest(harness.gateway, {
          method: 'POST',
          path: 'rest/offline/refund',
          payload: { bill_no: newBillNo(), refund_no: newRefundNo(), refund_fee: 1 },
          secret: 'testSecret',
        }),
      1,
      'app_sign',
    ],
    ['refund: refund_no missing', () => refund({ bill_no: newBillNo(), refund_fee: 1 }), 4, 'refund_no'],
    [
      'refund: refund_fee 0',
      () => refund({ bill_no: newBillNo(), refund_no: newRefundNo(), refund_fee: 0 }),
      5,
      'refund_fee',
    ],
    [
      'refund: unknown bill',
      () => refund({ bill_no: newBillNo(), refund_no: newRefundNo(), refund_fee: 1 }),
      8,
      'bill_no',
    ],
    [
      'refund: need_approval',
      () => refund({ bill_no: newBillNo(), refund_no: newRefundNo(), refund_fee: 1, need_approval: true }),
      5,
      'need_approval',
    ],
    [
      'refund: refund_reason long',
      () =>
        refund({
          bill_no: newBillNo(),
          refund_no: newRefundNo(),
          refund_fee: 1,
          refund_reason: 'x'.repeat(129),
        }),
      5,
      'refund_reason',
    ],
    // Refused by the schema (offline-schemas.ts) before the handler: wrong type, out of range, not allowed.
    [
      'bill: total_fee as text',
      () => pay(offlineBill({ total_fee: '150', auth_code: code() })),
      5,
      'total_fee',
    ],
    ['bill: auth_code a number', () => pay(offlineBill({ auth_code: 280000000000000000 })), 5, 'auth_code'],
    [
      'bill: auth_code too long',
      () => pay(offlineBill({ auth_code: `28${'1'.repeat(31)}` })),
      5,
      'auth_code',
    ],
    [
      'bill: optional nested',
      () => pay(offlineBill({ optional: { till: { no: 3 } }, auth_code: code() })),
      5,
      'optional',
    ],
    [
      'bill: bill_timeout 0',
      () => pay(offlineBill({ bill_timeout: 0, auth_code: code() })),
      5,
      'bill_timeout',
    ],
    ['bill: channel a number', () => pay(offlineBill({ channel: 7, auth_code: code() })), 5, 'channel'],
    ['status: bill_no a number', () => status({ bill_no: 12345678 }), 5, 'bill_no'],
    ['revert: method a list', () => revert(newBillNo(), { method: ['REVERT'] }), 5, 'method'],
    ['revert: channel unknown', () => revert(newBillNo(), { method: 'REVERT', channel: 'JD' }), 3, 'channel'],
    [
      'refund: need_approval false',
      () => refund({ bill_no: newBillNo(), refund_no: newRefundNo(), refund_fee: 1, need_approval: false }),
      5,
      'need_approval',
    ],
    [
      'refund: refund_fee as text',
      () => refund({ bill_no: newBillNo(), refund_no: newRefundNo(), refund_fee: '1' }),
      5,
      'refund_fee',
    ],
    [
      'refund: refund_fee missing',
      () => refund({ bill_no: newBillNo(), refund_no: newRefundNo() }),
      4,
      'refund_fee',
    ],
    [
      'refund: store_id bad',
      () => refund({ bill_no: newBillNo(), refund_no: newRefundNo(), refund_fee: 1, store_id: 'NJ 001' }),
      5,
      'store_id',
    ],
    [
      'refund: operator_id long',
      () =>
        refund({
          bill_no: newBillNo(),
          refund_no: newRefundNo(),
          refund_fee: 1,
          operator_id: 'O'.repeat(33),
        }),
      5,
      'operator_id',
    ],
  ];
  it.each(cases)('%s', async (_name, call, code, field) => {
    const before = moneySnapshot(harness.gateway);
    const answer = await call();
    expect(answer.status).toBe(200);
    expect(answer.json.result_code).toBe(code);
    expect(String(answer.json.err_detail)).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(moneySnapshot(harness.gateway)).toBe(before);
  });
});

describe('what the schema says about offline requests', () => {
  it('names the channel an auth_code is not for, and the payment code each channel takes', async () => {
    const qr = await pay(offlineBill({ channel: 'WX_NATIVE', auth_code: authCode('WX_SCAN', '0') }));
    expect(qr.json.err_detail).toBe('auth_code: is only for WX_SCAN and ALI_SCAN, not WX_NATIVE');
    const wx = await pay(offlineBill({ channel: 'WX_SCAN', auth_code: authCode('ALI_SCAN', '0') }));
    expect(wx.json.err_detail).toBe(
      "auth_code: must be WeChat Pay's payment code: 18 digits starting 10 to 15",
    );
    const missing = await pay(offlineBill({ channel: 'ALI_SCAN' }));
    expect(missing.json).toMatchObject({ result_code: 4, result_msg: 'MISS_PARAM' });
    expect(missing.json.err_detail).toBe('auth_code: is required for ALI_SCAN');
    const online = await pay(offlineBill({ channel: 'ALI_WEB' }));
    expect(online.json).toMatchObject({ result_code: 3, result_msg: 'CHANNEL_INVALID' });
  });

  it('documents the four offline routes in /openapi.json with their request and answer', async () => {
    const document = (await (await fetch(`${harness.gateway.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
    };
    for (const path of [
      '/2/rest/offline/bill',
      '/2/rest/offline/bill/status',
      '/2/rest/offline/bill/{bill_no}',
      '/2/rest/offline/refund',
    ]) {
      expect(document.paths[path]?.post?.requestBody, path).toBeDefined();
      expect(document.paths[path]?.post?.responses['200'], path).toBeDefined();
    }
  });
});
