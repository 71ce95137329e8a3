/**
 * Random and mutated requests for the gateway's REST and button endpoints. Each is built from a valid request
 * and then broken: its authentication (missing, wrong secret, stale timestamp), its fields (odd values, wrong
 * types, removed), its encoding (bad JSON, arrays, wrong content type, garbage `para`), or its target. Requests
 * that could legitimately move money on an existing bill (refunds, sandbox payments) are always broken in a
 * way that makes them invalid, so any success there is a finding.
 */
import type { SeedApp } from '../../../gateway/apps/app.ts';
import { buttonOrderSign } from '../../../sdk/sign.ts';
import { signedAuth, uniqueBillNo } from '../../lib/rest-requests.ts';
import { oddValues, type Random } from './random.ts';

export interface FuzzRequest {
  /** What the request is, for the report. */
  label: string;
  method: 'GET' | 'POST' | 'PUT';
  path: string;
  body?: string;
  contentType?: string;
  /** True when a success answer would be wrong (the request is invalid by construction). */
  mustFail: boolean;
}

export interface FuzzTargets {
  app: SeedApp;
  paidBillNos: string[];
  billIds: string[];
}

const channels = [
  'WX_NATIVE',
  'ALI_WEB',
  'ALI_WAP',
  'UN_WEB',
  'UN_WAP',
  'WX_WAP',
  'WX_JSAPI',
  'BOGUS',
  'wx_native',
];
const invalidFees: readonly unknown[] = [0, -1, 1.5, '1', null, 'abc', [], {}, 2 ** 53, Number.NaN, true];

function mutateFields(fields: Record<string, unknown>, random: Random, names: string[]): void {
  const count = 1 + random.int(3);
  for (let i = 0; i < count; i += 1) {
    const name = random.pick(names);
    if (random.chance(0.25)) delete fields[name];
    else fields[name] = random.pick(oddValues);
  }
}

function brokenAuth(app: SeedApp, random: Random): Record<string, unknown> {
  const auth: Record<string, unknown> = signedAuth(app, 'app');
  switch (random.int(6)) {
    case 0:
      delete auth.app_sign;
      break;
    case 1:
      auth.app_sign = String(auth.app_sign).replace(/^./, (c) => (c === '0' ? '1' : '0'));
      break;
    case 2: {
      // Signed correctly, but outside the ±5 min window: a replay.
      const stale = Date.now() - 6 * 60 * 1000;
      Object.assign(auth, signedAuth(app, 'app', stale));
      break;
    }
    case 3:
      auth.app_id = random.pick(['', 'unknown-app', app.appId.toUpperCase(), 42]);
      break;
    case 4:
      auth.timestamp = random.pick(oddValues);
      break;
    default:
      auth.app_sign = random.pick(oddValues);
  }
  return auth;
}

function query(fields: Record<string, unknown>, random: Random): string {
  switch (random.int(4)) {
    case 0:
      return `para=${encodeURIComponent(JSON.stringify(fields))}`;
    case 1:
      return `para=${encodeURIComponent(random.pick(['{', '[]', 'null', '"x"', '{"a":', '%%%', 'x'.repeat(5000)]))}`;
    case 2:
      return new URLSearchParams(
        Object.entries(fields).map(([key, value]) => [
          key,
          typeof value === 'string' ? value : (JSON.stringify(value) ?? ''),
        ]),
      ).toString();
    default:
      return `para=${encodeURIComponent(JSON.stringify(fields))}&para=${encodeURIComponent('{}')}&app_id=&timestamp=x`;
  }
}

function rawBody(fields: Record<string, unknown>, random: Random): { body: string; contentType?: string } {
  switch (random.int(8)) {
    case 0:
      return { body: '{"app_id": ', contentType: 'application/json' };
    case 1:
      return { body: JSON.stringify([fields]), contentType: 'application/json' };
    case 2:
      return { body: 'null', contentType: 'application/json' };
    case 3:
      return {
        body: new URLSearchParams({ a: '1' }).toString(),
        contentType: 'application/x-www-form-urlencoded',
      };
    case 4:
      return {
        body: JSON.stringify({ ...fields, pad: 'x'.repeat(70 * 1024) }),
        contentType: 'application/json',
      };
    case 5:
      return {
        body: JSON.stringify(fields),
        contentType: random.pick(['text/xml', 'application/octet-stream', '']),
      };
    case 6:
      return { body: '{"a":'.repeat(2000) + '1' + '}'.repeat(2000), contentType: 'application/json' };
    default:
      return { body: JSON.stringify(fields), contentType: 'application/json' };
  }
}

export function fuzzRequest(targets: FuzzTargets, random: Random): FuzzRequest {
  const { app } = targets;
  const authBroken = random.chance(0.35);
  const auth = (secret: 'app' | 'test' | 'master') =>
    authBroken ? brokenAuth(app, random) : signedAuth(app, secret);
  const knownBillNo = () => random.pick(targets.paidBillNos);
  const knownId = () => random.pick(targets.billIds);
  const kind = random.int(13);

  if (kind === 0 || kind === 1) {
    // Pay: a new bill, or one reusing an existing bill_no with another amount (must be a duplicate).
    const fields: Record<string, unknown> = {
      ...auth('app'),
      channel: random.pick(channels.slice(0, 1)),
      total_fee: 1 + random.int(1000),
      bill_no: random.chance(0.4) ? knownBillNo() : uniqueBillNo('F'),
      title: 'fuzz',
      return_url: 'https://shop.example/paid',
    };
    mutateFields(fields, random, [
      'channel',
      'total_fee',
      'bill_no',
      'title',
      'return_url',
      'optional',
      'bill_timeout',
      'openid',
    ]);
    const encoded = rawBody(fields, random);
    return {
      label: 'POST /2/rest/bill',
      method: 'POST',
      path: kind === 0 ? '/2/rest/bill' : '/2/rest/sandbox/bill',
      ...encoded,
      mustFail: authBroken,
    };
  }
  if (kind === 2) {
    // Refund: always with an invalid refund_fee (or broken auth), so it can never move money.
    const fields: Record<string, unknown> = {
      ...auth('master'),
      bill_no: knownBillNo(),
      refund_no: `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}${random.int(1e6)}`,
      refund_fee: random.pick(invalidFees),
    };
    mutateFields(fields, random, ['bill_no', 'refund_no', 'optional', 'need_approval']);
    if (typeof fields.refund_fee === 'number' && Number.isInteger(fields.refund_fee) && fields.refund_fee > 0)
      fields.refund_fee = -1;
    return {
      label: 'POST /2/rest/refund',
      method: 'POST',
      path: '/2/rest/refund',
      ...rawBody(fields, random),
      mustFail: true,
    };
  }
  if (kind === 3) {
    const fields: Record<string, unknown> = {
      ...auth('master'),
      ids: [random.pick(oddValues)],
      agree: random.pick(oddValues),
    };
    return {
      label: 'PUT /2/rest/refund',
      method: 'PUT',
      path: '/2/rest/refund',
      ...rawBody(fields, random),
      mustFail: true,
    };
  }
  if (kind === 4) {
    const fields: Record<string, unknown> = { ...auth('app'), bill_no: knownBillNo(), limit: 10, skip: 0 };
    mutateFields(fields, random, [
      'bill_no',
      'limit',
      'skip',
      'start_time',
      'end_time',
      'channel',
      'spay_result',
      'need_detail',
    ]);
    const path = random.pick([
      '/2/rest/bills',
      '/2/rest/bills/count',
      '/2/rest/refunds',
      '/2/rest/refunds/count',
      '/2/rest/refund/status',
      '/2/rest/webhooks',
      `/2/rest/bill/${knownId()}`,
    ]);
    return {
      label: `GET ${path.replace(/\/[0-9a-f-]{36}$/, '/{id}')}`,
      method: 'GET',
      path: `${path}?${query(fields, random)}`,
      mustFail: authBroken,
    };
  }
  if (kind === 5) {
    // Sandbox payment of a mutated bill id, or with broken auth: never a real payment.
    const target = random.pick([
      `${knownId()}x`,
      'none',
      '..%2F..%2Fetc',
      'x'.repeat(300),
      '%00',
      knownId().toUpperCase(),
    ]);
    const fields = brokenAuth(app, random);
    return {
      label: 'GET /2/rest/sandbox/notify',
      method: 'GET',
      path: `/2/rest/sandbox/notify/${app.appId}/${target}?${query(fields, random)}`,
      mustFail: true,
    };
  }
  if (kind === 6) {
    // The button's order: tampered sign, amount or bill_no, odd fields.
    const title = '按钮';
    const amount = 1 + random.int(1000);
    const outTradeNo = random.chance(0.4) ? knownBillNo() : uniqueBillNo('J');
    const order: Record<string, unknown> = {
      appId: app.appId,
      title,
      amount,
      out_trade_no: outTradeNo,
      sign: buttonOrderSign(app.appId, title, amount, outTradeNo, app.appSecret),
    };
    const tamper = random.int(3);
    if (tamper === 0) order.amount = amount + 1;
    else if (tamper === 1) order.out_trade_no = `${outTradeNo}1`.slice(-32);
    else order.sign = random.pick(oddValues);
    mutateFields(order, random, ['title', 'return_url', 'optional', 'openid', 'bill_timeout', 'appId']);
    const channel = random.pick(channels);
    if (random.chance(0.3)) {
      return {
        label: 'GET /2/rest/jsbutton (JSONP)',
        method: 'GET',
        path: `/2/rest/jsbutton/${channel}?para=${encodeURIComponent(JSON.stringify(order))}&callback=${random.pick(['cb', 'a.b', '<script>', 'alert(1)//', ''])}`,
        mustFail: true,
      };
    }
    return {
      label: 'POST /2/rest/jsbutton',
      method: 'POST',
      path: `/2/rest/jsbutton/${channel}`,
      ...rawBody(order, random),
      mustFail: true,
    };
  }
  if (kind === 7) {
    const id = random.pick([knownId(), `${knownId()}'`, '', '%2e%2e', 'x'.repeat(500), '<svg>']);
    return {
      label: 'GET /2/rest/bill_public',
      method: 'GET',
      path: `/2/rest/bill_public/${id}`,
      mustFail: false,
    };
  }
  if (kind === 9) {
    // Transfers (sandbox): a red packet, an Alipay transfer, a bank-card transfer or an Alipay batch, mutated.
    const serial = `${Date.now()}${random.int(1e6)}`;
    const path = random.pick(['/2/rest/transfer', '/2/rest/bc_transfer', '/2/rest/transfers']);
    const fields: Record<string, unknown> =
      path === '/2/rest/transfer'
        ? {
            ...auth('master'),
            channel: random.pick(['WX_REDPACK', 'WX_TRANSFER', 'ALI_TRANSFER', 'BOGUS']),
            transfer_no: random.chance(0.5) ? serial.slice(-10) : `T${serial}`,
            total_fee: 100 + random.int(1000),
            desc: 'fuzz',
            channel_user_id: 'fuzz-receiver',
            channel_user_name: '某人',
            account_name: '某公司',
            redpack_info: { send_name: 'a', wishing: 'b', act_name: 'c' },
          }
        : path === '/2/rest/bc_transfer'
          ? {
              ...auth('master'),
              total_fee: 1 + random.int(1000),
              bill_no: `C${serial}`,
              title: 'fuzz',
              bank_code: 'BOC',
              bank_associated_code: '0',
              bank_fullname: '中国银行',
              card_type: 'DE',
              account_type: 'P',
              account_no: '6222000011112222',
              account_name: '某人',
            }
          : {
              ...auth('master'),
              channel: 'ALI',
              batch_no: `B${serial}`,
              account_name: '某公司',
              transfer_data: [
                {
                  transfer_id: 'f1',
                  receiver_account: 'a@b.c',
                  receiver_name: '甲',
                  transfer_fee: 1,
                  transfer_note: 'n',
                },
              ],
            };
    mutateFields(
      fields,
      random,
      Object.keys(fields).filter((name) => !['app_id', 'timestamp', 'app_sign'].includes(name)),
    );
    return { label: `POST ${path}`, method: 'POST', path, ...rawBody(fields, random), mustFail: authBroken };
  }
  if (kind === 10) {
    const fields: Record<string, unknown> = {
      ...auth('app'),
      limit: 10,
      transfer_status: 'SUCCESS',
      type: 'P_DE',
    };
    mutateFields(fields, random, [
      'limit',
      'skip',
      'transfer_status',
      'channel',
      'bill_no',
      'batch_no',
      'type',
    ]);
    const path = random.pick(['/2/rest/transfers', '/2/rest/transfers/count', '/2/rest/bc_transfer/banks']);
    return {
      label: `GET ${path}`,
      method: 'GET',
      path: `${path}?${query(fields, random)}`,
      mustFail: authBroken && path !== '/2/rest/bc_transfer/banks',
    };
  }
  if (kind === 11) {
    // Offline (线下): a payment code or QR bill, its status, REVERT, and a refund that can never move money.
    const path = random.pick([
      '/2/rest/offline/bill',
      '/2/rest/offline/bill/status',
      `/2/rest/offline/bill/${knownBillNo()}`,
      '/2/rest/offline/refund',
    ]);
    if (path === '/2/rest/offline/refund') {
      const fields: Record<string, unknown> = {
        ...auth('master'),
        bill_no: knownBillNo(),
        refund_no: `${new Date().toISOString().slice(0, 10).replace(/-/g, '')}${random.int(1e6)}`,
        refund_fee: random.pick(invalidFees),
      };
      mutateFields(fields, random, ['bill_no', 'refund_no', 'channel', 'refund_reason', 'store_id']);
      if (
        typeof fields.refund_fee === 'number' &&
        Number.isInteger(fields.refund_fee) &&
        fields.refund_fee > 0
      )
        fields.refund_fee = -1;
      return { label: `POST ${path}`, method: 'POST', path, ...rawBody(fields, random), mustFail: true };
    }
    const channel = random.pick([
      'WX_SCAN',
      'ALI_SCAN',
      'WX_NATIVE',
      'ALI_OFFLINE_QRCODE',
      'ALI_WEB',
      'BOGUS',
    ]);
    const fields: Record<string, unknown> =
      path === '/2/rest/offline/bill'
        ? {
            ...auth('app'),
            channel,
            total_fee: 1 + random.int(1000),
            bill_no: random.chance(0.4) ? knownBillNo() : uniqueBillNo('O'),
            title: 'fuzz',
            auth_code:
              channel === 'WX_SCAN'
                ? `13${random.int(1e9)}`.padEnd(18, '0')
                : `28${random.int(1e9)}`.padEnd(18, '0'),
            store_id: 'NJ_001',
          }
        : path === '/2/rest/offline/bill/status'
          ? { ...auth('app'), bill_no: knownBillNo(), channel: random.pick(['WX', 'ALI', channel]) }
          : { ...auth('app'), method: 'REVERT' };
    mutateFields(
      fields,
      random,
      Object.keys(fields).filter((name) => !['app_id', 'timestamp', 'app_sign'].includes(name)),
    );
    const label =
      path.startsWith('/2/rest/offline/bill/') && !path.endsWith('/status')
        ? 'POST /2/rest/offline/bill/{bill_no}'
        : `POST ${path}`;
    return { label, method: 'POST', path, ...rawBody(fields, random), mustFail: authBroken };
  }
  if (kind === 12) {
    // International (PayPal, sandbox): approval page, a card, a saved card; amounts in minor units.
    const channel = random.pick([
      'PAYPAL_PAYPAL',
      'PAYPAL_CREDITCARD',
      'PAYPAL_SAVED_CREDITCARD',
      'PAYPAL_LIVE',
    ]);
    const fields: Record<string, unknown> = {
      ...auth('app'),
      channel,
      total_fee: 1 + random.int(10_000),
      currency: random.pick(['USD', 'JPY', 'EUR', 'CNY', 'usd']),
      bill_no: random.chance(0.4) ? knownBillNo() : uniqueBillNo('P'),
      title: 'fuzz',
      return_url: 'https://shop.example/paid',
      credit_card_info: {
        card_number: random.pick(['4111111111111111', '4000000000000002', '4111111111111112']),
        expire_month: 1 + random.int(12),
        expire_year: 2020 + random.int(20),
        cvv: '123',
        first_name: 'Jim',
        last_name: 'Green',
        card_type: random.pick(['visa', 'jcb']),
      },
      credit_card_id: random.pick(['CARD-UNKNOWN1', 'card', '']),
    };
    mutateFields(
      fields,
      random,
      Object.keys(fields).filter((name) => !['app_id', 'timestamp', 'app_sign'].includes(name)),
    );
    return {
      label: 'POST /2/rest/international/bill',
      method: 'POST',
      path: '/2/rest/international/bill',
      ...rawBody(fields, random),
      mustFail: authBroken,
    };
  }
  const fields: Record<string, unknown> = {
    ...auth('master'),
    transaction_id: random.pick([knownBillNo(), ...oddValues.slice(0, 10)]),
  };
  mutateFields(fields, random, ['transaction_id', 'transaction_type', 'id']);
  return {
    label: 'POST /2/rest/webhook/resend',
    method: 'POST',
    path: '/2/rest/webhook/resend',
    ...rawBody(fields, random),
    mustFail: authBroken,
  };
}
