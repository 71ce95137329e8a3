/**
 * Transfers over real HTTP (BeeCloud's transfer REST API): WX_REDPACK / WX_TRANSFER settle at once, ALI_TRANSFER
 * and Alipay batches wait for the sandbox confirmation page, BC_TRANSFER settles moments later; each result is a
 * signed TRANSFER webhook; transfer_no is idempotent per app; the sandbox balance is never overdrawn; bad input
 * names its field and changes nothing.
 */
import { describe, expect, it } from 'vitest';
import { verifyWebhook, type WebhookBody } from '../../sdk/webhook.ts';
import { testApp, startTestGateway } from '../testing/gateway-harness.ts';
import { useGatewayWithReceiver } from '../testing/gateway-with-receiver.ts';
import type { WebhookReceiver } from '../testing/webhook-receiver.ts';
import { moneySnapshot, rest, type RestAnswer } from './testing/rest-caller.ts';

const harness = useGatewayWithReceiver({ transfers: { cardSettleMs: 30, settlePassMs: 20 } });

let serial = 0;
function digits(length: number): string {
  serial += 1;
  return `${Date.now()}${String(serial).padStart(6, '0')}`.slice(-length);
}

function redpack(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'WX_REDPACK',
    transfer_no: digits(10),
    total_fee: 100,
    desc: '打款说明',
    channel_user_id: 'o-receiver-openid',
    redpack_info: { send_name: 'BeeCloud', wishing: '工作顺利', act_name: '开发者测试' },
    ...overrides,
  };
}

function aliTransfer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'ALI_TRANSFER',
    transfer_no: `ali${digits(12)}`,
    total_fee: 250,
    desc: '赔偿',
    channel_user_id: 'someone@example.com',
    channel_user_name: '支付宝某人',
    account_name: '苏州比可网络科技有限公司',
    ...overrides,
  };
}

function cardTransfer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    total_fee: 1,
    bill_no: `card${digits(12)}`,
    title: '比可企业打款测试',
    trade_source: 'OUT_PC',
    bank_code: 'BOC',
    bank_associated_code: '1043050000',
    bank_fullname: '中国银行',
    card_type: 'DE',
    account_type: 'C',
    account_no: '5300000',
    account_name: '苏州比可网络科技有限公司',
    mobile: '1850000',
    optional: { key1: '选填的value' },
    ...overrides,
  };
}

function batch(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    channel: 'ALI',
    batch_no: `batch${digits(12)}`,
    account_name: '苏州比可网络科技有限公司',
    transfer_data: [
      {
        transfer_id: 'a1',
        receiver_account: 'one@example.com',
        receiver_name: '某人1',
        transfer_fee: 10,
        transfer_note: 'item1',
      },
      {
        transfer_id: 'a2',
        receiver_account: 'two@example.com',
        receiver_name: '某人2',
        transfer_fee: 20,
        transfer_note: 'item2',
      },
    ],
    ...overrides,
  };
}

function post(path: string, payload: Record<string, unknown>): Promise<RestAnswer> {
  return rest(harness.gateway, { method: 'POST', path, payload, secret: 'masterSecret' });
}

function query(payload: Record<string, unknown>): Promise<RestAnswer> {
  return rest(harness.gateway, { method: 'GET', path: 'rest/transfers', payload });
}

/** The TRANSFER webhooks for a transaction_id, once `count` of them arrived, verified with the app's secrets. */
async function transferWebhooks(
  receiver: WebhookReceiver,
  transactionId: string,
  count = 1,
): Promise<WebhookBody[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const matching = receiver.received.filter(
      (webhook) => (JSON.parse(webhook.body) as WebhookBody).transaction_id === transactionId,
    );
    if (matching.length >= count) {
      return matching.map((webhook) => {
        const app = harness.gateway.app;
        const verified = verifyWebhook(webhook.body, webhook.headers, { ...app, testMode: true });
        if (!verified.ok) throw new Error(verified.message);
        return verified.webhook;
      });
    }
    if (Date.now() > deadline) throw new Error(`no TRANSFER webhook for ${transactionId}`);
    await receiver.waitFor(receiver.received.length + 1, Math.max(1, deadline - Date.now())).catch(() => []);
  }
}

describe('single transfers (POST /2/rest/transfer)', () => {
  it('pays a WeChat red packet at once, announces it and answers a resend with the same transfer', async () => {
    const request = redpack();
    const made = await post('rest/transfer', request);
    expect(made.json).toMatchObject({ result_code: 0, transfer_status: 'SUCCESS' });
    expect(made.json.url).toBeUndefined();
    const [webhook] = await transferWebhooks(harness.receiver, String(request.transfer_no));
    expect(webhook).toMatchObject({
      transaction_type: 'TRANSFER',
      channel_type: 'WX',
      sub_channel_type: 'WX_REDPACK',
      transaction_fee: 100,
      trade_success: true,
      transfer_status: 'SUCCESS',
    });

    const again = await post('rest/transfer', request);
    expect(again.json).toMatchObject({ result_code: 0, id: made.json.id, transfer_status: 'SUCCESS' });
    const conflicting = await post('rest/transfer', { ...request, total_fee: 200 });
    expect(conflicting.json).toMatchObject({ result_code: 17, result_msg: 'BILL_NO_DUPLICATE' });
    expect(String(conflicting.json.err_detail)).toMatch(/^transfer_no: /);

    const listed = await query({ transfer_no: request.transfer_no, need_detail: true });
    expect(listed.json).toMatchObject({
      result_code: 0,
      count: 1,
      bills: [
        { id: made.json.id, bill_no: request.transfer_no, transfer_status: 'SUCCESS', spay_result: true },
      ],
    });
    const detail = JSON.parse(String((listed.json.bills as Record<string, unknown>[])[0]?.message_detail));
    expect(detail.redpack_info).toEqual({
      send_name: 'BeeCloud',
      wishing: '工作顺利',
      act_name: '开发者测试',
    });
  });

  it('answers a WeChat transfer the channel refused with CHANNEL_ERROR, records it failed and gives the money back', async () => {
    const balanceBefore = await harness.gateway.ctx.core.transfers.balance({
      appId: harness.gateway.app.appId,
      mode: 'test',
    });
    const request: Record<string, unknown> = {
      ...redpack(),
      channel: 'WX_TRANSFER',
      total_fee: 150,
      channel_user_id: 'o-fail-openid',
    };
    delete request.redpack_info;
    const refused = await post('rest/transfer', request);
    expect(refused.json).toMatchObject({ result_code: 7, result_msg: 'CHANNEL_ERROR' });
    expect(String(refused.json.err_detail)).toMatch(/^channel_user_id: /);
    const [webhook] = await transferWebhooks(harness.receiver, String(request.transfer_no));
    expect(webhook).toMatchObject({
      trade_success: false,
      transfer_status: 'FAIL',
      sub_channel_type: 'WX_TRANSFER',
    });
    const counted = await rest(harness.gateway, {
      method: 'GET',
      path: 'rest/transfers/count',
      payload: { transfer_no: request.transfer_no, transfer_status: 'FAIL' },
    });
    expect(counted.json).toMatchObject({ result_code: 0, count: 1 });
    expect(
      await harness.gateway.ctx.core.transfers.balance({ appId: harness.gateway.app.appId, mode: 'test' }),
    ).toBe(balanceBefore);
  });

  it('makes an Alipay transfer wait for the confirmation page, then settles it once', async () => {
    const request = aliTransfer();
    const made = await post('rest/transfer', request);
    expect(made.json).toMatchObject({ result_code: 0, transfer_status: 'PROCESSING' });
    const url = String(made.json.url);
    expect(url).toMatch(/\/sandbox\/transfer\/[0-9a-f-]{36}$/);

    const pageBefore = await fetch(url);
    expect(pageBefore.status).toBe(200);
    expect(await pageBefore.text()).toContain('待确认');
    const processing = await query({ transfer_no: request.transfer_no });
    expect(processing.json).toMatchObject({ bills: [{ transfer_status: 'PROCESSING', spay_result: false }] });

    const confirmed = await fetch(`${url}/confirm`, { method: 'POST', redirect: 'manual' });
    expect(confirmed.status).toBe(303);
    const [webhook] = await transferWebhooks(harness.receiver, String(request.transfer_no));
    expect(webhook).toMatchObject({
      channel_type: 'ALI',
      sub_channel_type: 'ALI_TRANSFER',
      trade_success: true,
    });
    expect(await (await fetch(url)).text()).toContain('打款成功');

    const cancelledLate = await fetch(`${url}/cancel`, { method: 'POST', redirect: 'manual' });
    expect(cancelledLate.status).toBe(303);
    const settled = await query({ transfer_no: request.transfer_no });
    expect(settled.json).toMatchObject({ bills: [{ transfer_status: 'SUCCESS', spay_result: true }] });
    expect(await transferWebhooks(harness.receiver, String(request.transfer_no))).toHaveLength(1);
    const resent = await post('rest/transfer', request);
    expect(resent.json).toMatchObject({ result_code: 0, id: made.json.id, transfer_status: 'SUCCESS' });
    expect(resent.json.url).toBeUndefined();

    expect((await fetch(url.replace(/[0-9a-f-]{36}$/, '00000000-0000-4000-8000-000000000000'))).status).toBe(
      404,
    );
  });
});

describe('bank-card transfers (POST /2/rest/bc_transfer)', () => {
  it('accepts the transfer and sends its result by webhook moments later', async () => {
    const request = cardTransfer();
    const made = await post('rest/bc_transfer', request);
    expect(made.json).toMatchObject({ result_code: 0, transfer_status: 'PROCESSING' });
    const [webhook] = await transferWebhooks(harness.receiver, String(request.bill_no));
    expect(webhook).toMatchObject({
      channel_type: 'BC',
      sub_channel_type: 'BC_TRANSFER',
      transaction_fee: 1,
      trade_success: true,
      optional: { key1: '选填的value' },
    });
    const listed = await query({ bill_no: request.bill_no });
    expect(listed.json).toMatchObject({
      bills: [
        {
          transfer_status: 'SUCCESS',
          bank_full_name: '中国银行',
          account_no: '5300000',
          channel: 'BC_TRANSFER',
        },
      ],
    });

    const failing = cardTransfer({ account_no: '6222000099999999' });
    expect((await post('rest/bc_transfer', failing)).json).toMatchObject({ result_code: 0 });
    const [failed] = await transferWebhooks(harness.receiver, String(failing.bill_no));
    expect(failed).toMatchObject({ trade_success: false, transfer_status: 'FAIL' });
  });

  it('lists the banks of an account type without a signature, as the SDKs ask', async () => {
    const answer = await rest(harness.gateway, {
      method: 'GET',
      path: 'rest/bc_transfer/banks',
      payload: { type: 'P_DE' },
      unsigned: true,
    });
    expect(answer.json).toMatchObject({ result_code: 0 });
    expect(answer.json.bank_list).toContain('中国银行');
    expect(answer.json.size).toBe((answer.json.bank_list as string[]).length);
    expect(answer.json.banks).toEqual(answer.json.bank_list);
    const bad = await rest(harness.gateway, {
      method: 'GET',
      path: 'rest/bc_transfer/banks',
      payload: { type: 'X' },
      unsigned: true,
    });
    expect(bad.json).toMatchObject({ result_code: 5 });
    expect(String(bad.json.err_detail)).toMatch(/^type: /);
  });
});

describe('Alipay batches (POST /2/rest/transfers)', () => {
  it('waits for the page; a cancel fails every item and a resend reads the batch again', async () => {
    const request = batch();
    const made = await post('rest/transfers', request);
    expect(made.json).toMatchObject({ result_code: 0 });
    expect(made.json.ids).toHaveLength(2);
    const url = String(made.json.url);
    const page = await (await fetch(url)).text();
    expect(page).toContain('批量打款');
    expect(page).toContain('¥0.30');

    const again = await post('rest/transfers', request);
    expect(again.json).toMatchObject({ result_code: 0, ids: made.json.ids, url });
    const changed = await post('rest/transfers', {
      ...request,
      transfer_data: [(request.transfer_data as unknown[])[0]],
    });
    expect(changed.json).toMatchObject({ result_code: 17 });
    expect(String(changed.json.err_detail)).toMatch(/^batch_no: /);

    expect((await fetch(`${url}/cancel`, { method: 'POST', redirect: 'manual' })).status).toBe(303);
    const [first] = await transferWebhooks(harness.receiver, 'a1');
    expect(first).toMatchObject({ batch_no: request.batch_no, trade_success: false });
    const listed = await query({ batch_no: request.batch_no });
    expect(listed.json).toMatchObject({
      count: 2,
      bills: [{ transfer_status: 'FAIL' }, { transfer_status: 'FAIL' }],
    });
  });
});

describe('the sandbox balance and modes', () => {
  it('never lets concurrent transfers overdraw the balance, and refuses what it does not cover', async () => {
    const gateway = await startTestGateway({ transfers: { sandboxBalanceFen: 1000 } });
    try {
      const requests = Array.from({ length: 8 }, () => aliTransfer({ total_fee: 200 }));
      const answers = await Promise.all(
        requests.map((payload) =>
          rest(gateway, { method: 'POST', path: 'rest/transfer', payload, secret: 'masterSecret' }),
        ),
      );
      const accepted = answers.filter((answer) => answer.json.result_code === 0);
      const refused = answers.filter((answer) => answer.json.result_code === 7);
      expect(accepted).toHaveLength(5);
      expect(refused).toHaveLength(3);
      for (const answer of refused) expect(String(answer.json.err_detail)).toMatch(/^total_fee: /);
      const before = moneySnapshot(gateway);
      const over = await rest(gateway, {
        method: 'POST',
        path: 'rest/transfer',
        payload: aliTransfer({ total_fee: 1 }),
        secret: 'masterSecret',
      });
      expect(over.json).toMatchObject({ result_code: 7 });
      expect(moneySnapshot(gateway)).toBe(before);

      // Cancelling one gives its 200 fen back.
      await fetch(`${String(accepted[0]?.json.url)}/cancel`, { method: 'POST', redirect: 'manual' });
      const after = await rest(gateway, {
        method: 'POST',
        path: 'rest/transfer',
        payload: aliTransfer({ total_fee: 200 }),
        secret: 'masterSecret',
      });
      expect(after.json).toMatchObject({ result_code: 0 });
    } finally {
      await gateway.close();
    }
  });

  it('refuses transfers of a live app (no live transfer channel) with PAY_FACTOR_NOT_SET', async () => {
    const live = testApp({ mode: 'live' });
    const gateway = await startTestGateway({ seedApps: [live] });
    try {
      const answer = await rest(
        { url: gateway.url, app: live },
        { method: 'POST', path: 'rest/transfer', payload: redpack(), secret: 'masterSecret' },
      );
      expect(answer.json).toMatchObject({ result_code: 2, result_msg: 'PAY_FACTOR_NOT_SET' });
      expect(String(answer.json.err_detail)).toMatch(/^channel: /);
    } finally {
      await gateway.close();
    }
  });
});

describe('bad transfer requests name their field and change nothing', () => {
  const redpackWithout = (name: string) => {
    const request = redpack();
    delete request[name];
    return request;
  };
  const cases: [string, string, Record<string, unknown>, number, string][] = [
    ['transfer', 'rest/transfer', { ...redpack(), channel: 'WX_PAY' }, 3, 'channel'],
    ['transfer', 'rest/transfer', redpackWithout('channel'), 4, 'channel'],
    ['transfer', 'rest/transfer', redpack({ transfer_no: '12345' }), 5, 'transfer_no'],
    ['transfer', 'rest/transfer', aliTransfer({ transfer_no: 'short' }), 5, 'transfer_no'],
    ['transfer', 'rest/transfer', redpack({ total_fee: 99 }), 5, 'total_fee'],
    ['transfer', 'rest/transfer', redpack({ total_fee: 20001 }), 5, 'total_fee'],
    ['transfer', 'rest/transfer', redpack({ total_fee: '100' }), 5, 'total_fee'],
    ['transfer', 'rest/transfer', redpack({ total_fee: 1.5 }), 5, 'total_fee'],
    ['transfer', 'rest/transfer', redpackWithout('desc'), 4, 'desc'],
    ['transfer', 'rest/transfer', redpackWithout('channel_user_id'), 4, 'channel_user_id'],
    ['transfer', 'rest/transfer', redpackWithout('redpack_info'), 4, 'redpack_info'],
    ['transfer', 'rest/transfer', redpack({ redpack_info: 'x' }), 5, 'redpack_info'],
    [
      'transfer',
      'rest/transfer',
      redpack({ redpack_info: { send_name: 'a', wishing: 'b' } }),
      4,
      'redpack_info.act_name',
    ],
    [
      'transfer',
      'rest/transfer',
      redpack({ redpack_info: { send_name: 'a'.repeat(33), wishing: 'b', act_name: 'c' } }),
      5,
      'redpack_info.send_name',
    ],
    ['transfer', 'rest/transfer', aliTransfer({ channel_user_name: undefined }), 4, 'channel_user_name'],
    ['transfer', 'rest/transfer', aliTransfer({ account_name: '' }), 4, 'account_name'],
    ['transfer', 'rest/transfer', aliTransfer({ total_fee: 0 }), 5, 'total_fee'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ bill_no: 'short' }), 5, 'bill_no'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ title: '打'.repeat(17) }), 5, 'title'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ card_type: 'XX' }), 5, 'card_type'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ account_type: 'Q' }), 5, 'account_type'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ account_no: 'abc' }), 5, 'account_no'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ bank_code: undefined }), 4, 'bank_code'],
    [
      'bc_transfer',
      'rest/bc_transfer',
      cardTransfer({ bank_associated_code: 'x1' }),
      5,
      'bank_associated_code',
    ],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ bank_fullname: undefined }), 4, 'bank_fullname'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ account_name: undefined }), 4, 'account_name'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ trade_source: 'IN_APP' }), 5, 'trade_source'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ mobile: 'phone' }), 5, 'mobile'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ total_fee: -1 }), 5, 'total_fee'],
    ['bc_transfer', 'rest/bc_transfer', cardTransfer({ optional: { a: { b: 1 } } }), 5, 'optional'],
    ['transfers', 'rest/transfers', batch({ channel: 'WX' }), 3, 'channel'],
    ['transfers', 'rest/transfers', batch({ batch_no: 'abc' }), 5, 'batch_no'],
    ['transfers', 'rest/transfers', batch({ account_name: undefined }), 4, 'account_name'],
    ['transfers', 'rest/transfers', batch({ transfer_data: [] }), 4, 'transfer_data'],
    ['transfers', 'rest/transfers', batch({ transfer_data: 'x' }), 5, 'transfer_data'],
    ['transfers', 'rest/transfers', batch({ transfer_data: [1] }), 5, 'transfer_data[0]'],
    [
      'transfers',
      'rest/transfers',
      batch({
        transfer_data: [
          {
            transfer_id: 'a1',
            receiver_account: 'x',
            receiver_name: 'y',
            transfer_fee: 0,
            transfer_note: 'n',
          },
        ],
      }),
      5,
      'transfer_data[0].transfer_fee',
    ],
    [
      'transfers',
      'rest/transfers',
      batch({
        transfer_data: [
          {
            transfer_id: 'a-1',
            receiver_account: 'x',
            receiver_name: 'y',
            transfer_fee: 1,
            transfer_note: 'n',
          },
        ],
      }),
      5,
      'transfer_data[0].transfer_id',
    ],
    [
      'transfers',
      'rest/transfers',
      batch({
        transfer_data: [
          {
            transfer_id: 'a1',
            receiver_account: 'x',
            receiver_name: 'y',
            transfer_fee: 1,
            transfer_note: 'n',
          },
          {
            transfer_id: 'a1',
            receiver_account: 'x',
            receiver_name: 'y',
            transfer_fee: 1,
            transfer_note: 'n',
          },
        ],
      }),
      5,
      'transfer_data[1].transfer_id',
    ],
    [
      'transfers',
      'rest/transfers',
      batch({
        transfer_data: [{ transfer_id: 'a1', receiver_account: 'x', transfer_fee: 1, transfer_note: 'n' }],
      }),
      4,
      'transfer_data[0].receiver_name',
    ],
  ];

  it.each(cases)('%s: %#', async (_endpoint, path, payload, code, field) => {
    const before = moneySnapshot(harness.gateway);
    const answer = await post(path, payload);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ result_code: code });
    expect(String(answer.json.err_detail).startsWith(`${field}: `)).toBe(true);
    expect(moneySnapshot(harness.gateway)).toBe(before);
  });

  it('refuses transfers signed with the app secret, and queries with bad filters', async () => {
    const wrongSecret = await rest(harness.gateway, {
      method: 'POST',
      path: 'rest/transfer',
      payload: redpack(),
      secret: 'appSecret',
    });
    expect(wrongSecret.json).toMatchObject({ result_code: 1 });
    expect(String(wrongSecret.json.err_detail)).toMatch(/^app_sign: /);
    for (const [payload, field] of [
      [{ transfer_status: 'DONE' }, 'transfer_status'],
      [{ channel: 'UN_WEB' }, 'channel'],
      [{ limit: 51 }, 'limit'],
      [{ start_time: 10, end_time: 5 }, 'end_time'],
    ] as const) {
      const answer = await query(payload);
      expect(answer.json.result_code).not.toBe(0);
      expect(String(answer.json.err_detail)).toMatch(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `));
    }
  });
});
