/**
 * International payments (PayPal) over real HTTP, in the sandbox: PAYPAL_PAYPAL's approval page, a card charged at
 * once and saved (credit_card_id), a saved card, a declined card; amounts in the currency's minor units; each
 * payment one PAY webhook (channel_type PAYPAL); bad requests name their field and change nothing. A live app has
 * no PayPal adapter: PAY_FACTOR_NOT_SET.
 */
import { describe, expect, it } from 'vitest';
import { verifyWebhook, type WebhookBody } from '../../sdk/webhook.ts';
import { startTestGateway } from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import { formatMinorUnits, luhnValid } from './international-request.ts';
import { moneySnapshot, newBillNo, rest, type RestAnswer } from './testing/rest-caller.ts';

const harness = useGatewayWithReceiver({});

const card = (overrides: Record<string, unknown> = {}) => ({
  card_number: '4111111111111111',
  expire_month: 7,
  expire_year: new Date().getUTCFullYear() + 2,
  cvv: '204',
  first_name: 'Jim',
  last_name: 'Green',
  card_type: 'visa',
  ...overrides,
});

function paypalBill(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'PAYPAL_PAYPAL',
    bill_no: newBillNo(),
    title: 'white water',
    total_fee: 1234,
    currency: 'USD',
    return_url: 'https://shop.example/paid',
    ...overrides,
  };
}

const pay = (payload: Record<string, unknown>) =>
  rest(harness.gateway, { method: 'POST', path: 'rest/international/bill', payload });

async function payWebhook(transactionId: string): Promise<WebhookBody> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    for (const received of harness.receiver.received) {
      const verified = verifyWebhook(received.body, received.headers, {
        ...harness.gateway.app,
        testMode: true,
      });
      if (!verified.ok) throw new Error(verified.message);
      if (verified.webhook.transaction_id === transactionId) return verified.webhook;
    }
    if (Date.now() > deadline) throw new Error(`no PAY webhook for ${transactionId}`);
    await harness.receiver
      .waitFor(harness.receiver.received.length + 1, Math.max(1, deadline - Date.now()))
      .catch(() => []);
  }
}

describe('minor units', () => {
  it('writes amounts exactly in their currency', () => {
    expect(formatMinorUnits(1234, 'USD')).toBe('12.34 USD');
    expect(formatMinorUnits(5, 'EUR')).toBe('0.05 EUR');
    expect(formatMinorUnits(1200, 'JPY')).toBe('1200 JPY');
    expect(luhnValid('4111111111111111')).toBe(true);
    expect(luhnValid('4111111111111112')).toBe(false);
  });
});

describe('PAYPAL_PAYPAL', () => {
  it('answers the approval page url; approving pays the bill, goes to return_url and sends one PAY webhook', async () => {
    const bill = paypalBill({ optional: { order: 'A1' } });
    const made = await pay(bill);
    expect(made.json).toMatchObject({ result_code: 0 });
    const url = String(made.json.url);
    expect(url).toMatch(new RegExp(`/sandbox/paypal/approve/${String(made.json.id)}$`));
    const page = await (await fetch(url)).text();
    expect(page).toContain('12.34 USD');
    expect(page).toContain('white water');
    const approved = await fetch(`${url}/approve`, { method: 'POST', redirect: 'manual' });
    expect(approved.status).toBe(303);
    expect(approved.headers.get('location')).toMatch(/^https:\/\/shop\.example\/paid\?/);
    const webhook = await payWebhook(String(bill.bill_no));
    expect(webhook).toMatchObject({
      transaction_type: 'PAY',
      channel_type: 'PAYPAL',
      sub_channel_type: 'PAYPAL_PAYPAL',
      transaction_fee: 1234,
      trade_success: true,
      optional: { order: 'A1' },
    });
    expect(webhook.message_detail).toMatchObject({ currency: 'USD' });
    const listed = await rest(harness.gateway, {
      method: 'GET',
      path: 'rest/bills',
      payload: { bill_no: bill.bill_no, channel: 'PAYPAL' },
    });
    expect(listed.json).toMatchObject({
      count: 1,
      bills: [{ channel: 'PAYPAL', spay_result: true, total_fee: 1234 }],
    });
  });

  it('closes the bill when the payer cancels on the approval page', async () => {
    const made = await pay(paypalBill({ currency: 'JPY', total_fee: 1200 }));
    const url = String(made.json.url);
    expect(await (await fetch(url)).text()).toContain('1200 JPY');
    const cancelled = await fetch(`${url}/cancel`, { method: 'POST', redirect: 'manual' });
    expect(cancelled.status).toBe(303);
    const bill = await harness.gateway.ctx.store.bills.findBill(String(made.json.id));
    expect(bill?.status).toBe('closed');
  });
});

describe('cards', () => {
  it('charges a card at once, answers its credit_card_id, and a later payment with the saved card', async () => {
    const first = paypalBill({
      channel: 'PAYPAL_CREDITCARD',
      return_url: undefined,
      credit_card_info: card(),
      currency: 'EUR',
      total_fee: 999,
    });
    const charged = await pay(first);
    expect(charged.json).toMatchObject({ result_code: 0 });
    const cardId = String(charged.json.credit_card_id);
    expect(cardId).toMatch(/^CARD-[0-9A-Z]+$/);
    expect(await payWebhook(String(first.bill_no))).toMatchObject({
      sub_channel_type: 'PAYPAL_CREDITCARD',
      transaction_fee: 999,
    });
    const saved = harness.gateway.ctx.store.international;
    const stored = await saved.findCard(harness.gateway.app.appId, 'test', cardId);
    expect(stored).toMatchObject({ last4: '1111', cardType: 'visa', firstName: 'Jim' });
    expect(JSON.stringify(stored)).not.toContain('4111111111111111');

    const second = paypalBill({
      channel: 'PAYPAL_SAVED_CREDITCARD',
      return_url: undefined,
      credit_card_id: cardId,
    });
    const again = await pay(second);
    expect(again.json).toMatchObject({ result_code: 0 });
    expect(await payWebhook(String(second.bill_no))).toMatchObject({
      sub_channel_type: 'PAYPAL_SAVED_CREDITCARD',
      transaction_fee: 1234,
    });
  });

  it('takes the card as JSON text, its digits as integers or text, its type in any case', async () => {
    const bill = paypalBill({
      channel: 'PAYPAL_CREDITCARD',
      return_url: undefined,
      credit_card_info: JSON.stringify(
        card({ card_number: 4111111111111111, expire_month: '07', cvv: 204, card_type: 'VISA' }),
      ),
    });
    const charged = await pay(bill);
    expect(charged.json).toMatchObject({ result_code: 0 });
    expect(String(charged.json.credit_card_id)).toMatch(/^CARD-[0-9A-Z]+$/);
    const stored = await harness.gateway.ctx.store.international.findCard(
      harness.gateway.app.appId,
      'test',
      String(charged.json.credit_card_id),
    );
    expect(stored).toMatchObject({ last4: '1111', cardType: 'visa' });
  });

  it('answers a declined card with CHANNEL_ERROR naming credit_card_info and closes the bill', async () => {
    const bill = paypalBill({
      channel: 'PAYPAL_CREDITCARD',
      credit_card_info: card({ card_number: '4000000000000002' }),
    });
    const declined = await pay(bill);
    expect(declined.json).toMatchObject({ result_code: 7, result_msg: 'CHANNEL_ERROR' });
    expect(String(declined.json.err_detail)).toMatch(/^credit_card_info: /);
    const attempts = await harness.gateway.ctx.store.bills.attemptsOf(
      harness.gateway.app.appId,
      'test',
      String(bill.bill_no),
    );
    expect(attempts.map((one) => one.status)).toEqual(['closed']);
  });
});

describe('live apps', () => {
  it('answers PAY_FACTOR_NOT_SET: spay has no live PayPal adapter', async () => {
    const live = await startTestGateway({ app: { mode: 'live' } });
    try {
      const answer = await rest(live, {
        method: 'POST',
        path: 'rest/international/bill',
        payload: paypalBill(),
        secret: 'appSecret',
      });
      expect(answer.json).toMatchObject({ result_code: 2, result_msg: 'PAY_FACTOR_NOT_SET' });
      expect(String(answer.json.err_detail)).toMatch(/^channel: /);
    } finally {
      await live.close();
    }
  });
});

describe('bad international requests name their field and change nothing', () => {
  const cardBill = (info: unknown) => paypalBill({ channel: 'PAYPAL_CREDITCARD', credit_card_info: info });
  const cases: Array<[string, Record<string, unknown>, number, string]> = [
    ['no channel', paypalBill({ channel: undefined }), 4, 'channel'],
    ['not a PayPal channel', paypalBill({ channel: 'ALI_WEB' }), 3, 'channel'],
    ['PAYPAL_LIVE', paypalBill({ channel: 'PAYPAL_LIVE' }), 3, 'channel'],
    ['no currency', paypalBill({ currency: undefined }), 4, 'currency'],
    ['unknown currency', paypalBill({ currency: 'CNY' }), 5, 'currency'],
    ['lower-case currency', paypalBill({ currency: 'usd' }), 5, 'currency'],
    ['total_fee as yuan string', paypalBill({ total_fee: '0.01' }), 5, 'total_fee'],
    ['total_fee float', paypalBill({ total_fee: 12.5 }), 5, 'total_fee'],
    ['total_fee 0', paypalBill({ total_fee: 0 }), 5, 'total_fee'],
    ['no return_url', paypalBill({ return_url: undefined }), 4, 'return_url'],
    ['bill_no bad', paypalBill({ bill_no: 'x' }), 5, 'bill_no'],
    ['no title', paypalBill({ title: undefined }), 4, 'title'],
    ['no credit_card_info', paypalBill({ channel: 'PAYPAL_CREDITCARD' }), 4, 'credit_card_info'],
    ['credit_card_info not a map', cardBill([1]), 5, 'credit_card_info'],
    ['card_number missing', cardBill(card({ card_number: undefined })), 4, 'credit_card_info.card_number'],
    [
      'card_number letters',
      cardBill(card({ card_number: '4111abcd11111111' })),
      5,
      'credit_card_info.card_number',
    ],
    [
      'card_number fails Luhn',
      cardBill(card({ card_number: '4111111111111112' })),
      5,
      'credit_card_info.card_number',
    ],
    ['expire_month 13', cardBill(card({ expire_month: 13 })), 5, 'credit_card_info.expire_month'],
    ['expired card', cardBill(card({ expire_year: 2020 })), 5, 'credit_card_info.expire_year'],
    ['cvv 2 digits', cardBill(card({ cvv: '12' })), 5, 'credit_card_info.cvv'],
    ['no first_name', cardBill(card({ first_name: undefined })), 4, 'credit_card_info.first_name'],
    ['card_type unknown', cardBill(card({ card_type: 'jcb' })), 5, 'credit_card_info.card_type'],
    ['no credit_card_id', paypalBill({ channel: 'PAYPAL_SAVED_CREDITCARD' }), 4, 'credit_card_id'],
    [
      'credit_card_id bad',
      paypalBill({ channel: 'PAYPAL_SAVED_CREDITCARD', credit_card_id: 'card 1' }),
      5,
      'credit_card_id',
    ],
    [
      'credit_card_id unknown',
      paypalBill({ channel: 'PAYPAL_SAVED_CREDITCARD', credit_card_id: 'CARD-NOPE0000' }),
      5,
      'credit_card_id',
    ],
    // Refused by the schema (international-schemas.ts) before the handler.
    ['total_fee as digits text', paypalBill({ total_fee: '1234' }), 5, 'total_fee'],
    ['currency a number', paypalBill({ currency: 840 }), 5, 'currency'],
    ['credit_card_info not JSON text', cardBill('{card'), 5, 'credit_card_info'],
    ['card_number a boolean', cardBill(card({ card_number: true })), 5, 'credit_card_info.card_number'],
    ['card_number too short', cardBill(card({ card_number: 41111111 })), 5, 'credit_card_info.card_number'],
    ['expire_year 1999', cardBill(card({ expire_year: 1999 })), 5, 'credit_card_info.expire_year'],
    ['cvv 2 digits as a number', cardBill(card({ cvv: 45 })), 5, 'credit_card_info.cvv'],
    ['last_name blank', cardBill(card({ last_name: '   ' })), 5, 'credit_card_info.last_name'],
    ['first_name with markup', cardBill(card({ first_name: '<b>Jim' })), 5, 'credit_card_info.first_name'],
    ['no card_type', cardBill(card({ card_type: undefined })), 4, 'credit_card_info.card_type'],
  ];
  it.each(cases)('%s', async (_name, payload, code, field) => {
    const before = moneySnapshot(harness.gateway);
    const answer = await pay(payload);
    expect(answer.status).toBe(200);
    expect(answer.json.result_code).toBe(code);
    expect(String(answer.json.err_detail)).toMatch(new RegExp(`^${field.replace('.', '\\.')}: `));
    expect(moneySnapshot(harness.gateway)).toBe(before);
  });
});
