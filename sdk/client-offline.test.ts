/**
 * The SDK's offline and international calls against the real gateway over HTTP (sandbox): a payment code paid at
 * once and refunded, one reverted, a QR code, a PayPal card saved and paid again; every PAY webhook passes
 * `verifyWebhook`; a refusal comes back as a result (or a SpayError from `orThrow`).
 */
import { describe, expect, it } from 'vitest';
import { useGatewayWithReceiver } from '../gateway/testing/gateway-with-receiver.ts';
import type { SpayApp } from './app.ts';
import type { SpayClient } from './client.ts';
import { sandboxClient } from './testing/sandbox-client.ts';
import { SpayError } from './result.ts';
import { verifyWebhook, type WebhookBody } from './webhook.ts';

const harness = useGatewayWithReceiver({});

function sdkClient(): { client: SpayClient; app: SpayApp } {
  return sandboxClient(harness);
}

async function payWebhook(app: SpayApp, billNo: string): Promise<WebhookBody> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const delivery of harness.receiver.received) {
      const verified = verifyWebhook(delivery.body, delivery.headers, app);
      if (!verified.ok) throw new Error(verified.message);
      if (verified.webhook.transaction_id === billNo && verified.webhook.transaction_type === 'PAY') {
        return verified.webhook;
      }
    }
    await harness.receiver.waitFor(harness.receiver.received.length + 1, 2000).catch(() => []);
  }
  throw new Error(`no PAY webhook for ${billNo}`);
}

let serial = 0;
const billNo = () => `SDKOFF${Date.now()}${String((serial += 1)).padStart(3, '0')}`;
const chinaDate = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');

describe('SDK offline calls', () => {
  it('pays with a payment code, reads the status, refunds; reverts another; makes a QR code', async () => {
    const { client, app } = sdkClient();
    const paidNo = billNo();
    const paid = await client.orThrow.offlinePay({
      channel: 'ALI_SCAN',
      bill_no: paidNo,
      title: 'SDK 条码',
      total_fee: 300,
      auth_code: '280000000000000010',
    });
    expect(paid.pay_result).toBe(true);
    expect((await payWebhook(app, paidNo)).sub_channel_type).toBe('ALI_SCAN');
    expect((await client.orThrow.offlineBillStatus({ bill_no: paidNo })).pay_result).toBe(true);
    const refunded = await client.orThrow.offlineRefund({
      bill_no: paidNo,
      refund_no: `${chinaDate()}${String(Date.now()).slice(-8)}`,
      refund_fee: 300,
    });
    expect(refunded.refund_result).toBe(true);

    const waitingNo = billNo();
    const waiting = await client.orThrow.offlinePay({
      channel: 'WX_SCAN',
      bill_no: waitingNo,
      title: 'SDK 撤销',
      total_fee: 100,
      auth_code: '130000000000000003',
    });
    expect(waiting.pay_result).toBe(false);
    expect((await client.orThrow.offlineRevert(waitingNo, 'WX_SCAN')).revert_status).toBe(true);

    const qr = await client.orThrow.offlinePay({
      channel: 'ALI_OFFLINE_QRCODE',
      bill_no: billNo(),
      title: 'SDK 扫码',
      total_fee: 1,
    });
    expect(qr.code_url).toMatch(/\/sandbox\/ali\/scan\//);

    const refused = await client.offlinePay({
      channel: 'WX_SCAN',
      bill_no: billNo(),
      title: 'x',
      total_fee: 1,
    });
    expect(refused).toMatchObject({ ok: false, result_code: 4 });
    await expect(client.orThrow.offlineBillStatus({ bill_no: billNo() })).rejects.toBeInstanceOf(SpayError);
  });
});

describe('SDK international calls', () => {
  it('pays by card, then with the saved card; PAYPAL_PAYPAL answers the approval url', async () => {
    const { client, app } = sdkClient();
    const cardNo = billNo();
    const charged = await client.orThrow.internationalPay({
      channel: 'PAYPAL_CREDITCARD',
      bill_no: cardNo,
      title: 'SDK card',
      total_fee: 250,
      currency: 'GBP',
      credit_card_info: {
        card_number: '4111111111111111',
        expire_month: 12,
        expire_year: new Date().getUTCFullYear() + 1,
        cvv: '123',
        first_name: 'Jim',
        last_name: 'Green',
        card_type: 'visa',
      },
    });
    expect(charged.credit_card_id).toMatch(/^CARD-/);
    const webhook = await payWebhook(app, cardNo);
    expect(webhook).toMatchObject({ channel_type: 'PAYPAL', transaction_fee: 250 });
    expect(webhook.message_detail).toMatchObject({ currency: 'GBP' });
    const again = await client.orThrow.internationalPay({
      channel: 'PAYPAL_SAVED_CREDITCARD',
      bill_no: billNo(),
      title: 'SDK saved',
      total_fee: 100,
      currency: 'GBP',
      credit_card_id: String(charged.credit_card_id),
    });
    expect(again.id).toMatch(/^[0-9a-f-]{36}$/);
    const redirect = await client.orThrow.internationalPay({
      channel: 'PAYPAL_PAYPAL',
      bill_no: billNo(),
      title: 'SDK paypal',
      total_fee: 100,
      currency: 'JPY',
      return_url: 'https://shop.example/back',
    });
    expect(redirect.url).toMatch(/\/sandbox\/paypal\/approve\//);
  });
});
