/**
 * The SDK's transfer calls against the real gateway over HTTP (sandbox): a red packet, an Alipay transfer and
 * batch confirmed on the sandbox page, a bank-card transfer settled by webhook, the queries and the bank list;
 * every TRANSFER webhook passes `verifyWebhook`.
 */
import { describe, expect, it } from 'vitest';
import { useGatewayWithReceiver } from '../gateway/testing/gateway-with-receiver.ts';
import type { SpayApp } from './app.ts';
import type { SpayClient } from './client.ts';
import { sandboxClient } from './testing/sandbox-client.ts';
import { SpayError } from './result.ts';
import { verifyWebhook, type WebhookBody } from './webhook.ts';

const harness = useGatewayWithReceiver({ transfers: { cardSettleMs: 20, settlePassMs: 20 } });

function sdkClient(): { client: SpayClient; app: SpayApp } {
  return sandboxClient(harness);
}

async function transferWebhook(app: SpayApp, transactionId: string): Promise<WebhookBody> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    for (const delivery of harness.receiver.received) {
      const verified = verifyWebhook(delivery.body, delivery.headers, app);
      if (!verified.ok) throw new Error(verified.message);
      if (verified.webhook.transaction_id === transactionId) return verified.webhook;
    }
    await harness.receiver.waitFor(harness.receiver.received.length + 1, 2000).catch(() => []);
  }
  throw new Error(`no TRANSFER webhook for ${transactionId}`);
}

let serial = 0;
function digits(length: number): string {
  serial += 1;
  return `${Date.now()}${String(serial).padStart(4, '0')}`.slice(-length);
}

describe('SpayClient transfers', () => {
  it('sends a red packet and reads it back', async () => {
    const { client, app } = sdkClient();
    const transferNo = digits(10);
    const answer = await client.orThrow.transfer({
      channel: 'WX_REDPACK',
      transfer_no: transferNo,
      total_fee: 100,
      desc: '红包',
      channel_user_id: 'o-openid',
      redpack_info: { send_name: 'spay', wishing: '顺利', act_name: '测试' },
    });
    expect(answer.transfer_status).toBe('SUCCESS');
    expect(await transferWebhook(app, transferNo)).toMatchObject({
      transaction_type: 'TRANSFER',
      trade_success: true,
    });
    const listed = await client.orThrow.transfers({ transfer_no: transferNo });
    expect(listed.bills).toMatchObject([{ id: answer.id, transfer_status: 'SUCCESS', total_fee: 100 }]);
    expect((await client.orThrow.transfersCount({ transfer_no: transferNo })).count).toBe(1);
  });

  it('confirms an Alipay transfer and a batch on the sandbox page', async () => {
    const { client, app } = sdkClient();
    const transferNo = `ali${digits(12)}`;
    const single = await client.orThrow.transfer({
      channel: 'ALI_TRANSFER',
      transfer_no: transferNo,
      total_fee: 5,
      desc: '返点',
      channel_user_id: 'someone@example.com',
      channel_user_name: '某人',
      account_name: '某公司',
    });
    expect(single.url).toBeDefined();
    await fetch(`${single.url}/confirm`, { method: 'POST', redirect: 'manual' });
    expect(await transferWebhook(app, transferNo)).toMatchObject({
      channel_type: 'ALI',
      trade_success: true,
    });

    const batchNo = `b${digits(14)}`;
    const batch = await client.orThrow.batchTransfer({
      channel: 'ALI',
      batch_no: batchNo,
      account_name: '某公司',
      transfer_data: [
        {
          transfer_id: 'x1',
          receiver_account: 'a@example.com',
          receiver_name: '甲',
          transfer_fee: 1,
          transfer_note: 'n',
        },
      ],
    });
    expect(batch.ids).toHaveLength(1);
    await fetch(`${batch.url}/confirm`, { method: 'POST', redirect: 'manual' });
    expect(await transferWebhook(app, 'x1')).toMatchObject({ batch_no: batchNo, trade_success: true });
  });

  it('makes a bank-card transfer, lists banks, and throws SpayError for a refused request', async () => {
    const { client, app } = sdkClient();
    const billNo = `card${digits(12)}`;
    const made = await client.orThrow.cardTransfer({
      total_fee: 3,
      bill_no: billNo,
      title: '企业打款',
      bank_code: 'BOC',
      bank_associated_code: '0',
      bank_fullname: '中国银行',
      card_type: 'DE',
      account_type: 'P',
      account_no: '6222000011112222',
      account_name: '张三',
    });
    expect(made.transfer_status).toBe('PROCESSING');
    expect(await transferWebhook(app, billNo)).toMatchObject({ channel_type: 'BC', trade_success: true });
    const banks = await client.orThrow.transferBanks('C');
    expect(banks.bank_list).toContain('中国工商银行');

    const refused = client.orThrow.transfer({
      channel: 'WX_REDPACK',
      transfer_no: '123',
      total_fee: 100,
      desc: 'x',
      channel_user_id: 'o',
    });
    await expect(refused).rejects.toBeInstanceOf(SpayError);
    await expect(refused).rejects.toMatchObject({
      resultCode: 5,
      errDetail: expect.stringMatching(/^transfer_no: /),
    });
  });
});
