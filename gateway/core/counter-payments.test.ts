/**
 * The core's counter payments on the gateway's store (SQLite; PostgreSQL under `npm run test:postgres`): payment
 * codes booked through `bookChannelPayment` (one PAY webhook), a waiting code settled by `refreshOrder`, REVERT,
 * two tills racing one bill_no (one payment booked, the other money refunded as a late payment), and saved cards
 * kept per app and mode without the card number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../apps/app.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';
import { startWebhookReceiver, webhooksFor, type WebhookReceiver } from '../testing/webhook-receiver.ts';
import { DomainError } from './domain-error.ts';
import type { PaymentRequest } from './payments.ts';

let gateway: TestGateway;
let receiver: WebhookReceiver;
let app: App;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  gateway = await startTestGateway({ app: { webhookUrl: receiver.url } });
  gateway.ctx.core.registry.sandbox.scanSettleMs = 50;
  const found = await gateway.ctx.store.apps.findApp(gateway.app.appId);
  if (!found) throw new Error('the test app is missing');
  app = found;
});

afterAll(async () => {
  await gateway?.close();
  await receiver?.close();
});

let serial = 0;
function request(
  channel: PaymentRequest['channel'],
  overrides: Partial<PaymentRequest> = {},
): PaymentRequest {
  serial += 1;
  return {
    app,
    mode: 'test',
    channel,
    billNo: `CP${Date.now()}${String(serial).padStart(4, '0')}`,
    title: '柜台',
    totalFee: 200,
    ...overrides,
  };
}

describe('payment codes', () => {
  it('books a code paid at once with one PAY webhook; the same bill_no cannot be paid again', async () => {
    const core = gateway.ctx.core;
    const order = request('ALI_SCAN');
    const outcome = await core.counterPayments.chargePaymentCode(order, '280000000000000000');
    expect(outcome).toMatchObject({
      paid: true,
      bill: { status: 'paid', subChannel: 'ALI_SCAN', channel: 'ALI' },
    });
    await receiver.waitFor(1);
    expect(webhooksFor(receiver, order.billNo)).toHaveLength(1);
    await expect(core.counterPayments.chargePaymentCode(order, '280000000000000000')).rejects.toMatchObject({
      reason: 'order_paid',
    });
  });

  it('settles a waiting code on refreshOrder, and refuses to revert it once paid', async () => {
    const core = gateway.ctx.core;
    const order = request('WX_SCAN');
    const waiting = await core.counterPayments.chargePaymentCode(order, '130000000000000001');
    expect(waiting.paid).toBe(false);
    let bills = await core.counterPayments.refreshOrder(app, 'test', order.billNo);
    const deadline = Date.now() + 5000;
    while (bills[0]?.status !== 'paid' && Date.now() < deadline) {
      bills = await core.counterPayments.refreshOrder(app, 'test', order.billNo);
    }
    expect(bills[0]).toMatchObject({ status: 'paid', id: waiting.bill.id });
    expect(await core.counterPayments.revertOrder(app, 'test', order.billNo)).toMatchObject({
      reverted: false,
    });
  });

  it('reverts an unconfirmed code: closed, and no longer payable at the sandbox', async () => {
    const core = gateway.ctx.core;
    const order = request('ALI_SCAN');
    const waiting = await core.counterPayments.chargePaymentCode(order, '280000000000000003');
    const reverted = await core.counterPayments.revertOrder(app, 'test', order.billNo);
    expect(reverted).toMatchObject({ reverted: true, bills: [{ id: waiting.bill.id, status: 'closed' }] });
    await expect(core.counterPayments.revertOrder(app, 'test', 'UNKNOWN0000001')).rejects.toBeInstanceOf(
      DomainError,
    );
  });

  it('books one payment when two tills charge one bill_no at once', async () => {
    const core = gateway.ctx.core;
    const order = request('ALI_SCAN');
    const results = await Promise.allSettled([
      core.counterPayments.chargePaymentCode(order, '280000000000000100'),
      core.counterPayments.chargePaymentCode(order, '280000000000000200'),
    ]);
    const attempts = await gateway.ctx.store.bills.attemptsOf(app.appId, 'test', order.billNo);
    expect(attempts.filter((bill) => bill.status === 'paid')).toHaveLength(1);
    const fulfilled = results.filter((r) => r.status === 'fulfilled').map((r) => r.value);
    expect(fulfilled.filter((outcome) => outcome.paid)).toHaveLength(1);
    const deadline = Date.now() + 5000;
    while (webhooksFor(receiver, order.billNo).length === 0 && Date.now() < deadline) {
      await receiver.waitFor(receiver.received.length + 1, deadline - Date.now()).catch(() => []);
    }
    expect(webhooksFor(receiver, order.billNo)).toHaveLength(1);
  });
});

describe('cards', () => {
  it('saves a charged card for this app and mode only, without its number', async () => {
    const core = gateway.ctx.core;
    const { cardId, bill } = await core.counterPayments.chargeCard(
      request('PAYPAL_CREDITCARD', { currency: 'USD' }),
      {
        kind: 'card',
        card: {
          number: '5555555555554444',
          expireMonth: 3,
          expireYear: new Date().getUTCFullYear() + 3,
          cvv: '737',
          firstName: 'Ann',
          lastName: 'Lee',
          cardType: 'mastercard',
        },
      },
    );
    expect(bill.status).toBe('paid');
    expect(await gateway.ctx.store.international.currencyOf(bill.id)).toBe('USD');
    const store = gateway.ctx.store.international;
    expect(await store.findCard(app.appId, 'test', String(cardId))).toMatchObject({ last4: '4444' });
    expect(await store.findCard(app.appId, 'live', String(cardId))).toBeUndefined();
    expect(await store.findCard('another-app', 'test', String(cardId))).toBeUndefined();
    const saved = await core.counterPayments.chargeCard(
      request('PAYPAL_SAVED_CREDITCARD', { currency: 'USD' }),
      {
        kind: 'saved',
        cardId: String(cardId),
      },
    );
    expect(saved.bill.status).toBe('paid');
  });
});
