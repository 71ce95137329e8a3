/**
 * Transfers raced over several gateway instances on one database (PostgreSQL under `npm run test:postgres`; one
 * gateway on SQLite): the sandbox balance is never overdrawn, one transfer_no makes one transfer, and a card
 * transfer whose settling every instance's timer races for settles — and is announced — once.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rest } from '../rest/testing/rest-caller.ts';
import type { TestGateway } from '../testing/gateway-harness.ts';
import { startGatewayInstances } from '../testing/gateway-instances.ts';
import { startWebhookReceiver, webhooksFor, type WebhookReceiver } from '../testing/webhook-receiver.ts';

let instances: TestGateway[];
let close: () => Promise<void>;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  ({ instances, close } = await startGatewayInstances(3, {
    app: { webhookUrl: receiver.url },
    rateLimit: false,
    transfers: { sandboxBalanceFen: 2000, cardSettleMs: 10, settlePassMs: 10 },
  }));
});

afterAll(async () => {
  await close?.();
  await receiver?.close();
});

let serial = 0;
function transferNo(): string {
  serial += 1;
  return `race${Date.now()}${serial}`;
}

function aliTransfer(index: number, no: string, totalFee: number) {
  return rest(instances[index % instances.length]!, {
    method: 'POST',
    path: 'rest/transfer',
    secret: 'masterSecret',
    payload: {
      channel: 'ALI_TRANSFER',
      transfer_no: no,
      total_fee: totalFee,
      desc: '并发',
      channel_user_id: 'someone@example.com',
      channel_user_name: '某人',
      account_name: '某公司',
    },
  });
}

it('makes one transfer of a transfer_no sent 12 times at once', async () => {
  const no = transferNo();
  const answers = await Promise.all(Array.from({ length: 12 }, (_, index) => aliTransfer(index, no, 100)));
  const ids = new Set(answers.filter((a) => a.json.result_code === 0).map((a) => a.json.id));
  expect(ids.size).toBe(1);
  for (const answer of answers) expect([0, 17]).toContain(answer.json.result_code);
  const listed = await rest(instances[0]!, {
    method: 'GET',
    path: 'rest/transfers/count',
    payload: { transfer_no: no },
  });
  expect(listed.json).toMatchObject({ result_code: 0, count: 1 });
});

it('never lets 20 racing transfers take more than the balance', async () => {
  const scope = { appId: instances[0]!.app.appId, mode: 'test' as const };
  const left = await instances[0]!.ctx.core.transfers.balance(scope);
  const fee = 150;
  const answers = await Promise.all(
    Array.from({ length: 20 }, (_, index) => aliTransfer(index, transferNo(), fee)),
  );
  const accepted = answers.filter((answer) => answer.json.result_code === 0).length;
  expect(accepted).toBe(Math.floor(left / fee));
  for (const answer of answers.filter((a) => a.json.result_code !== 0)) {
    expect(answer.json.result_code).toBe(7);
    expect(String(answer.json.err_detail)).toMatch(/^total_fee: /);
  }
  expect(await instances[0]!.ctx.core.transfers.balance(scope)).toBe(left - accepted * fee);
});

it('settles a card transfer once though every instance settles due transfers', async () => {
  const scope = { appId: instances[0]!.app.appId, mode: 'test' as const };
  const left = await instances[0]!.ctx.core.transfers.balance(scope);
  const billNo = transferNo();
  const made = await rest(instances[1]!, {
    method: 'POST',
    path: 'rest/bc_transfer',
    secret: 'masterSecret',
    payload: {
      total_fee: Math.min(1, left),
      bill_no: billNo,
      title: '并发',
      bank_code: 'BOC',
      bank_associated_code: '0',
      bank_fullname: '中国银行',
      card_type: 'DE',
      account_type: 'P',
      account_no: '6222000011119999',
      account_name: '张三',
    },
  });
  expect(made.json.result_code).toBe(0);
  const deadline = Date.now() + 10_000;
  while (webhooksFor(receiver, billNo).length === 0 && Date.now() < deadline) {
    await receiver.waitFor(receiver.received.length + 1, 2000).catch(() => []);
  }
  const listed = await rest(instances[2]!, {
    method: 'GET',
    path: 'rest/transfers',
    payload: { bill_no: billNo },
  });
  expect(listed.json).toMatchObject({ bills: [{ transfer_status: 'FAIL' }] });
  // Settling and its webhook commit together: once FAIL is visible, the outbox holds every webhook there will be.
  const deliveries = await rest(instances[0]!, {
    method: 'GET',
    path: 'rest/webhooks',
    payload: { transaction_id: billNo, transaction_type: 'TRANSFER' },
  });
  expect(deliveries.json).toMatchObject({ result_code: 0, count: 1 });
  expect(webhooksFor(receiver, billNo)).toHaveLength(1);
  expect(JSON.parse(webhooksFor(receiver, billNo)[0]!.body)).toMatchObject({ trade_success: false });
  // The refused transfer gave its fen back.
  expect(await instances[0]!.ctx.core.transfers.balance(scope)).toBe(left);
});
