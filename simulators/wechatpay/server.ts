/**
 * A local stand-in for WeChat Pay API v3, written from the published protocol: Native / JSAPI / H5 orders, query,
 * close, refunds and refund query; signed answers in the merchant's key mode (platform certificate or WeChat Pay
 * public key); encrypted, signed notifies retried on WeChat's schedule; payer pages, the WeixinJSBridge stand-in,
 * the OAuth (snsapi_base) stand-in, and a control API under /_sim/ with fault switches.
 */
import { X509Certificate, randomBytes, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type Socket } from 'node:net';
import {
  bridgeScript,
  h5Page,
  messagePage,
  resultPage,
  scanPage,
  yuan,
  type PayerOrderView,
} from './pages.ts';
import {
  certifiedKey,
  encryptResource,
  newApiv3Key,
  parseAuthorization,
  publicKeyOf,
  rsaVerify,
  serialOf,
  signatureHeaders,
  strangerKey,
  wechatpayPublicKey,
  type SigningKey,
} from './sim-keys.ts';

export type KeyMode = 'platform_certificate' | 'public_key';

export interface WechatpaySimulatorOptions {
  host?: string;
  port?: number;
  /** Multiplies WeChat's notify retry schedule (15 s, 15 s, 30 s, 3 m, 10 m, 20 m, 30 m, …); tests: 0.001. */
  notifyRetryScale?: number;
  /** Accept http:// notify_url on 127.0.0.1 / localhost (WeChat wants https). Default true on 127.0.0.1. */
  allowHttpNotify?: boolean;
  /** How long a refund stays PROCESSING before it settles (ms). Default 50. */
  refundDelayMs?: number;
}

export interface SimFaults {
  drop_notify?: boolean;
  duplicate_notify?: boolean;
  delay_notify_ms?: number;
  /** Notifies and query answers say one fen more than was ordered. */
  wrong_amount?: boolean;
  /** Notifies and API answers are signed with a key nobody trusts. */
  bad_signature?: boolean;
  /** The next API call(s) (true = one, or a count) get no answer. */
  api_timeout?: boolean | number;
  /** The next API call(s) (true = one, or a count) answer 500 SYSTEM_ERROR. */
  api_5xx?: boolean | number;
  /** How refunds end (default SUCCESS). */
  refund_status?: 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
  /** Refunds and transfers are refused with NOT_ENOUGH (the merchant's balance is too low). */
  not_enough?: boolean;
  /**
   * What a transfer detail (商家转账到零钱) becomes at its first query after the batch was accepted (default
   * SUCCESS; PROCESSING keeps it processing; FAIL fails it with fail_reason ACCOUNT_FROZEN).
   */
  transfer_status?: 'SUCCESS' | 'FAIL' | 'PROCESSING';
}

/** One detail of a merchant transfer batch (the simulator's batches hold exactly what was sent). */
interface SimTransferDetail {
  mchid: string;
  appid: string;
  out_batch_no: string;
  batch_id: string;
  out_detail_no: string;
  detail_id: string;
  detail_status: 'INIT' | 'WAIT_PAY' | 'PROCESSING' | 'SUCCESS' | 'FAIL';
  transfer_amount: number;
  transfer_remark: string;
  openid: string;
  fail_reason?: string;
  initiate_time: string;
  update_time: string;
  /** Whether it has been queried once (it settles then). */
  seen: boolean;
}

export interface MerchantRegistration {
  mchid: string;
  appid: string;
  /** The merchant API certificate (PEM); its serial is the serial_no the merchant signs with. */
  merchant_certificate?: string;
  /** Or the merchant API public key (PEM) with merchant_serial_no. */
  merchant_public_key?: string;
  merchant_serial_no?: string;
  /** The APIv3 key; the simulator makes one when absent. */
  apiv3_key?: string;
  /** How WeChat Pay signs answers and notifies for this merchant (default public_key, what new merchants get). */
  key_mode?: KeyMode;
  /** The official account's AppSecret for the OAuth stand-in; the simulator makes one when absent. */
  app_secret?: string;
}

export interface MerchantCredentials {
  mchid: string;
  appid: string;
  key_mode: KeyMode;
  apiv3_key: string;
  app_secret: string;
  /** The openid the simulated payer has under this appid (what the OAuth stand-in returns). */
  payer_openid: string;
  platform_certificate: string;
  platform_serial_no: string;
  wechatpay_public_key: string;
  wechatpay_public_key_id: string;
}

interface Merchant {
  mchid: string;
  appid: string;
  keyMode: KeyMode;
  merchantKey: KeyObject;
  merchantSerial: string;
  apiv3Key: string;
  appSecret: string;
  payerOpenid: string;
}

type TradeType = 'NATIVE' | 'JSAPI' | 'MWEB';
type TradeState = 'NOTPAY' | 'SUCCESS' | 'CLOSED' | 'REFUND';

export interface SimOrder {
  mchid: string;
  appid: string;
  out_trade_no: string;
  trade_type: TradeType;
  trade_state: TradeState;
  description: string;
  notify_url: string;
  total: number;
  attach: string;
  time_expire: string | null;
  openid: string | null;
  payer_client_ip: string | null;
  prepay_id: string;
  code_url: string | null;
  h5_url: string | null;
  transaction_id: string | null;
  success_time: string | null;
  refunded: number;
  created_at: string;
}

export interface SimRefund {
  mchid: string;
  out_trade_no: string;
  transaction_id: string;
  out_refund_no: string;
  refund_id: string;
  status: 'PROCESSING' | 'SUCCESS' | 'ABNORMAL' | 'CLOSED';
  refund: number;
  total: number;
  reason: string;
  notify_url: string | null;
  create_time: string;
  success_time: string | null;
}

export interface SimNotifyAttempt {
  time: string;
  id: string;
  event_type: string;
  url: string;
  attempt: number;
  out_trade_no: string;
  out_refund_no: string | null;
  /** HTTP status, or 0 when the request failed (refused, timed out). */
  status: number;
  answer: string;
}

export interface SimRequest {
  time: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
}

/** WeChat's resend schedule after the first attempt (seconds): 15 resends over ~24 h. */
export const notifyRetryScheduleSeconds = [
  15, 15, 30, 180, 600, 1200, 1800, 1800, 1800, 3600, 10800, 10800, 10800, 21600, 21600,
];

const outTradeNoPattern = /^[0-9A-Za-z_\-|*]{6,32}$/;
const outRefundNoPattern = /^[0-9A-Za-z_\-|*@]{1,64}$/;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
  }
}

function paramError(field: string, message: string, value?: unknown): ApiError {
  return new ApiError(400, 'PARAM_ERROR', `${message}`, { field, location: 'body', value });
}

function certificateValidity(pem: string): { from: number; to: number } {
  const certificate = new X509Certificate(pem);
  return { from: Date.parse(certificate.validFrom), to: Date.parse(certificate.validTo) };
}

function beijingTime(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

function digits(count: number): string {
  return Array.from(randomBytes(count), (byte) => String(byte % 10)).join('');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function count(value: boolean | number | undefined): number {
  if (value === true) return 1;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  return 0;
}

export class WechatpaySimulatorServer {
  readonly platform = certifiedKey('Tenpay.com Root CA stand-in', 'spay WeChat Pay simulator');
  private readonly publicKeys = new Map<string, ReturnType<typeof wechatpayPublicKey>>();
  private readonly merchants = new Map<string, Merchant>();
  private readonly orders = new Map<string, SimOrder>();
  private readonly byPrepayId = new Map<string, string>();
  private readonly byPr = new Map<string, string>();
  private readonly refunds = new Map<string, SimRefund>();
  /** Transfer batches by `${mchid}:${out_batch_no}`, each with its details. */
  private readonly transferBatches = new Map<string, SimTransferDetail[]>();
  private readonly oauthCodes = new Map<string, { appid: string; openid: string; expires: number }>();
  private readonly notifies: SimNotifyAttempt[] = [];
  private readonly requests: SimRequest[] = [];
  private runFaults: SimFaults = {};
  private readonly orderFaults = new Map<string, SimFaults>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly heldResponses = new Set<ServerResponse>();
  private readonly sockets = new Set<Socket>();
  private readonly stranger = strangerKey();
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`simulator error: ${(error as Error).message}`);
      }
    });
  });
  url = '';
  private readonly retryScale: number;
  private readonly allowHttpNotify: boolean;
  private readonly refundDelayMs: number;

  constructor(private readonly options: WechatpaySimulatorOptions = {}) {
    const host = options.host ?? '127.0.0.1';
    this.retryScale = options.notifyRetryScale ?? 1;
    this.allowHttpNotify = options.allowHttpNotify ?? host === '127.0.0.1';
    this.refundDelayMs = options.refundDelayMs ?? 50;
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<string> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => resolve());
    });
    const address = this.server.address();
    if (!address || typeof address === 'string') throw new Error('the simulator has no TCP address');
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const res of this.heldResponses) res.destroy();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      for (const socket of this.sockets) socket.destroy();
    });
  }

  // ---------------------------------------------------------------- control (also used by the typed helpers)

  registerMerchant(input: MerchantRegistration): MerchantCredentials {
    if (!isObject(input)) throw new ApiError(400, 'PARAM_ERROR', 'body must be a JSON object');
    const { mchid, appid } = input;
    if (typeof mchid !== 'string' || !/^\d{6,32}$/.test(mchid)) throw paramError('mchid', 'mchid: digits');
    if (typeof appid !== 'string' || !/^[0-9A-Za-z_]{6,32}$/.test(appid)) throw paramError('appid', 'appid');
    let merchantKey: KeyObject;
    let merchantSerial: string;
    try {
      if (input.merchant_certificate) {
        merchantKey = publicKeyOf(input.merchant_certificate);
        merchantSerial = serialOf(input.merchant_certificate);
      } else if (input.merchant_public_key && input.merchant_serial_no) {
        merchantKey = publicKeyOf(input.merchant_public_key);
        merchantSerial = input.merchant_serial_no.toUpperCase();
      } else {
        throw paramError(
          'merchant_certificate',
          'merchant_certificate or merchant_public_key + serial required',
        );
      }
    } catch (error) {
      if (error instanceof ApiError) throw error;
      throw paramError('merchant_certificate', 'does not parse');
    }
    const apiv3Key = input.apiv3_key ?? newApiv3Key();
    if (Buffer.byteLength(apiv3Key) !== 32) throw paramError('apiv3_key', 'apiv3_key must be 32 bytes');
    const keyMode: KeyMode = input.key_mode ?? 'public_key';
    if (keyMode !== 'public_key' && keyMode !== 'platform_certificate')
      throw paramError('key_mode', 'key_mode');
    const merchant: Merchant = {
      mchid,
      appid,
      keyMode,
      merchantKey,
      merchantSerial,
      apiv3Key,
      appSecret: input.app_secret ?? randomBytes(16).toString('hex'),
      payerOpenid: `o${randomBytes(20).toString('base64url').slice(0, 27)}`,
    };
    const existing = this.merchants.get(mchid);
    if (existing && existing.appid === appid) merchant.payerOpenid = existing.payerOpenid;
    this.merchants.set(mchid, merchant);
    return this.credentials(merchant);
  }

  private publicKeyFor(mchid: string) {
    let key = this.publicKeys.get(mchid);
    if (!key) {
      key = wechatpayPublicKey(mchid);
      this.publicKeys.set(mchid, key);
    }
    return key;
  }

  private credentials(merchant: Merchant): MerchantCredentials {
    const publicKey = this.publicKeyFor(merchant.mchid);
    return {
      mchid: merchant.mchid,
      appid: merchant.appid,
      key_mode: merchant.keyMode,
      apiv3_key: merchant.apiv3Key,
      app_secret: merchant.appSecret,
      payer_openid: merchant.payerOpenid,
      platform_certificate: this.platform.certificatePem,
      platform_serial_no: this.platform.serialNo,
      wechatpay_public_key: publicKey.publicKeyPem,
      wechatpay_public_key_id: publicKey.id,
    };
  }

  listOrders(): SimOrder[] {
    return [...this.orders.values()].map((order) => ({ ...order }));
  }

  getOrder(outTradeNo: string): SimOrder | null {
    const order = this.orders.get(outTradeNo);
    return order ? { ...order } : null;
  }

  listRefunds(): SimRefund[] {
    return [...this.refunds.values()].map((refund) => ({ ...refund }));
  }

  listNotifies(): SimNotifyAttempt[] {
    return this.notifies.map((attempt) => ({ ...attempt }));
  }

  listRequests(): SimRequest[] {
    return this.requests.map((request) => ({ ...request }));
  }

  setFaults(faults: SimFaults): void {
    this.runFaults = { ...this.runFaults, ...faults };
  }

  setOrderFaults(outTradeNo: string, faults: SimFaults): void {
    this.orderFaults.set(outTradeNo, { ...this.orderFaults.get(outTradeNo), ...faults });
  }

  /** The payer page a `weixin://wxpay/bizpayurl?pr=…` code_url stands for. */
  scanUrl(codeUrl: string): string {
    const match = /^weixin:\/\/wxpay\/bizpayurl\?pr=([0-9A-Za-z]+)$/.exec(codeUrl);
    if (!match) throw paramError('code_url', 'not a weixin://wxpay/bizpayurl?pr=… code_url', codeUrl);
    return `${this.url}/scan/${match[1]}`;
  }

  /** The payer pays (same as the pay button on a payer page). */
  pay(outTradeNo: string, openid?: string): SimOrder {
    const order = this.orders.get(outTradeNo);
    if (!order) throw new ApiError(404, 'ORDER_NOT_EXIST', '订单不存在');
    this.payOrder(order, openid);
    return { ...order };
  }

  private faultsFor(outTradeNo: string | null): SimFaults {
    return { ...this.runFaults, ...(outTradeNo ? this.orderFaults.get(outTradeNo) : undefined) };
  }

  private payOrder(order: SimOrder, openid?: string): void {
    if (order.trade_state === 'SUCCESS' || order.trade_state === 'REFUND') {
      throw new ApiError(403, 'ORDERPAID', '该订单已支付');
    }
    if (order.trade_state === 'CLOSED') throw new ApiError(400, 'ORDER_CLOSED', '订单已关闭');
    if (order.time_expire && Date.parse(order.time_expire) < Date.now()) {
      order.trade_state = 'CLOSED';
      throw new ApiError(400, 'ORDER_CLOSED', '订单已过期');
    }
    const merchant = this.merchants.get(order.mchid);
    if (!merchant) throw new ApiError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    order.trade_state = 'SUCCESS';
    order.transaction_id = `4200${digits(24)}`;
    order.success_time = beijingTime(Date.now());
    order.openid = order.openid ?? openid ?? merchant.payerOpenid;
    this.sendNotify(
      merchant,
      order.notify_url,
      'TRANSACTION.SUCCESS',
      '支付成功',
      'transaction',
      order.out_trade_no,
      null,
      () => this.transactionView(order, true),
    );
  }

  /** A transaction as WeChat shows it (query answer, notify resource). */
  private transactionView(order: SimOrder, forNotify: boolean): Record<string, unknown> {
    const faults = this.faultsFor(order.out_trade_no);
    const total = faults.wrong_amount ? order.total + 1 : order.total;
    const paid = order.trade_state === 'SUCCESS' || order.trade_state === 'REFUND';
    const view: Record<string, unknown> = {
      appid: order.appid,
      mchid: order.mchid,
      out_trade_no: order.out_trade_no,
      trade_type: order.trade_type,
      trade_state: forNotify ? 'SUCCESS' : order.trade_state,
      trade_state_desc: {
        NOTPAY: '订单未支付',
        SUCCESS: '支付成功',
        CLOSED: '订单已关闭',
        REFUND: '转入退款',
      }[forNotify ? 'SUCCESS' : order.trade_state],
      attach: order.attach,
      amount: paid
        ? { total, payer_total: total, currency: 'CNY', payer_currency: 'CNY' }
        : { total, currency: 'CNY', payer_currency: 'CNY' },
    };
    if (paid) {
      view.transaction_id = order.transaction_id;
      view.bank_type = 'OTHERS';
      view.success_time = order.success_time;
      view.payer = { openid: order.openid };
    }
    return view;
  }

  private refundView(refund: SimRefund, forNotify: boolean): Record<string, unknown> {
    const amount = {
      total: refund.total,
      refund: refund.refund,
      payer_total: refund.total,
      payer_refund: refund.refund,
    };
    const base: Record<string, unknown> = {
      out_trade_no: refund.out_trade_no,
      transaction_id: refund.transaction_id,
      out_refund_no: refund.out_refund_no,
      refund_id: refund.refund_id,
      user_received_account: '支付用户零钱',
    };
    if (refund.success_time) base.success_time = refund.success_time;
    if (forNotify) {
      return { mchid: refund.mchid, ...base, refund_status: refund.status, amount };
    }
    return {
      ...base,
      channel: 'ORIGINAL',
      create_time: refund.create_time,
      status: refund.status,
      funds_account: 'AVAILABLE',
      amount: {
        ...amount,
        settlement_refund: refund.refund,
        settlement_total: refund.total,
        discount_refund: 0,
        currency: 'CNY',
        refund_fee: 0,
      },
    };
  }

  // ---------------------------------------------------------------- notifies

  private schedule(delayMs: number, run: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      run();
    }, delayMs);
    this.timers.add(timer);
  }

  private signerFor(merchant: Merchant | null, faults: SimFaults): SigningKey {
    const mode = merchant?.keyMode ?? 'platform_certificate';
    const serial =
      mode === 'public_key' && merchant ? this.publicKeyFor(merchant.mchid).id : this.platform.serialNo;
    if (faults.bad_signature) return { serial, privateKey: this.stranger };
    if (mode === 'public_key' && merchant)
      return { serial, privateKey: this.publicKeyFor(merchant.mchid).privateKey };
    return { serial, privateKey: this.platform.privateKey };
  }

  private sendNotify(
    merchant: Merchant,
    url: string,
    eventType: string,
    summary: string,
    originalType: 'transaction' | 'refund',
    outTradeNo: string,
    outRefundNo: string | null,
    plaintext: () => Record<string, unknown>,
  ): void {
    const faults = this.faultsFor(outTradeNo);
    if (faults.drop_notify) return;
    const id = randomUUID();
    const body = JSON.stringify({
      id,
      create_time: beijingTime(Date.now()),
      resource_type: 'encrypt-resource',
      event_type: eventType,
      summary,
      resource: {
        original_type: originalType,
        ...encryptResource(JSON.stringify(plaintext()), merchant.apiv3Key, originalType),
      },
    });
    const deliver = (attempt: number, duplicate: boolean) => {
      void this.postNotify(url, body, this.signerFor(merchant, this.faultsFor(outTradeNo))).then((result) => {
        this.notifies.push({
          time: new Date().toISOString(),
          id,
          event_type: eventType,
          url,
          attempt,
          out_trade_no: outTradeNo,
          out_refund_no: outRefundNo,
          ...result,
        });
        const accepted = result.status === 200 || result.status === 204;
        if (accepted) {
          if (faults.duplicate_notify && !duplicate) this.schedule(0, () => deliver(attempt + 1, true));
          return;
        }
        const waitSeconds = notifyRetryScheduleSeconds[attempt - 1];
        if (waitSeconds !== undefined) {
          this.schedule(waitSeconds * 1000 * this.retryScale, () => deliver(attempt + 1, duplicate));
        }
      });
    };
    this.schedule(faults.delay_notify_ms ?? 0, () => deliver(1, false));
  }

  private postNotify(
    url: string,
    body: string,
    signer: SigningKey,
  ): Promise<{ status: number; answer: string }> {
    return new Promise((resolve) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        resolve({ status: 0, answer: 'bad notify_url' });
        return;
      }
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
            'user-agent': 'Mozilla/4.0',
            ...signatureHeaders(body, signer),
          },
          timeout: 5000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              answer: Buffer.concat(chunks).toString('utf8').slice(0, 500),
            }),
          );
          res.on('error', () => resolve({ status: 0, answer: 'answer broken off' }));
        },
      );
      req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
      req.on('error', (error) => resolve({ status: 0, answer: error.message }));
      req.end(body);
    });
  }

  // ---------------------------------------------------------------- HTTP

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname;
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type',
      });
      res.end();
      return;
    }
    if (path.startsWith('/v3/')) return this.handleApi(req, res, url);
    if (path.startsWith('/_sim/')) return this.handleControl(req, res, url);
    return this.handlePayer(req, res, url);
  }

  private json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...extra });
    res.end(text);
  }

  private html(res: ServerResponse, status: number, body: string): void {
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    res.end(body);
  }

  private async handleControl(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    const raw = method === 'POST' ? await readBody(req) : '';
    let body: unknown = {};
    if (raw !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        this.json(res, 400, { code: 'PARAM_ERROR', message: 'body is not JSON' });
        return;
      }
    }
    try {
      const orderMatch = /^\/_sim\/orders\/([^/]+)(\/pay|\/faults)?$/.exec(path);
      if (method === 'POST' && path === '/_sim/merchants') {
        this.json(res, 200, this.registerMerchant(body as MerchantRegistration));
      } else if (method === 'GET' && path === '/_sim/orders') {
        this.json(res, 200, this.listOrders());
      } else if (method === 'GET' && path === '/_sim/refunds') {
        this.json(res, 200, this.listRefunds());
      } else if (method === 'GET' && path === '/_sim/notifies') {
        this.json(res, 200, this.listNotifies());
      } else if (method === 'GET' && path === '/_sim/requests') {
        this.json(res, 200, this.listRequests());
      } else if (method === 'GET' && path === '/_sim/scan-url') {
        this.json(res, 200, { url: this.scanUrl(url.searchParams.get('code_url') ?? '') });
      } else if (method === 'POST' && path === '/_sim/faults') {
        if (!isObject(body)) throw paramError('faults', 'faults must be an object');
        this.setFaults(body as SimFaults);
        this.json(res, 200, this.runFaults);
      } else if (orderMatch && method === 'GET' && !orderMatch[2]) {
        const order = this.getOrder(decodeURIComponent(orderMatch[1]));
        if (!order) throw new ApiError(404, 'ORDER_NOT_EXIST', '订单不存在');
        this.json(res, 200, order);
      } else if (orderMatch && method === 'POST' && orderMatch[2] === '/pay') {
        const openid = isObject(body) && typeof body.openid === 'string' ? body.openid : undefined;
        this.json(res, 200, this.pay(decodeURIComponent(orderMatch[1]), openid));
      } else if (orderMatch && method === 'POST' && orderMatch[2] === '/faults') {
        if (!isObject(body)) throw paramError('faults', 'faults must be an object');
        const no = decodeURIComponent(orderMatch[1]);
        this.setOrderFaults(no, body as SimFaults);
        this.json(res, 200, this.orderFaults.get(no));
      } else {
        this.json(res, 404, { code: 'NOT_FOUND', message: `${method} ${path} is not a control route` });
      }
    } catch (error) {
      if (error instanceof ApiError)
        this.json(res, error.status, { code: error.code, message: error.message });
      else throw error;
    }
  }

  // ---------------------------------------------------------------- the v3 API

  private answer(
    res: ServerResponse,
    status: number,
    body: Record<string, unknown> | null,
    merchant: Merchant | null,
    faults: SimFaults,
  ): number {
    const text = body === null ? '' : JSON.stringify(body);
    const headers: Record<string, string> = {
      'request-id': randomUUID(),
      ...signatureHeaders(text, this.signerFor(merchant, faults)),
    };
    if (body !== null) headers['content-type'] = 'application/json; charset=utf-8';
    res.writeHead(status, headers);
    res.end(text);
    return status;
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const record: SimRequest = {
      time: new Date().toISOString(),
      method,
      path: req.url ?? '',
      headers: Object.fromEntries(
        Object.entries(req.headers).map(([name, value]) => [
          name,
          Array.isArray(value) ? value.join(', ') : (value ?? ''),
        ]),
      ),
      body: raw,
      status: 0,
    };
    this.requests.push(record);

    // Answers are signed in the key mode of the merchant the Authorization header names (even when it fails).
    const claimed = this.merchants.get(parseAuthorization(req.headers.authorization)?.mchid ?? '') ?? null;
    const outTradeNo = this.orderKeyOf(url.pathname, raw);
    const faults = this.faultsFor(outTradeNo);
    const orderFaults = outTradeNo ? this.orderFaults.get(outTradeNo) : undefined;
    // api_* switches: the per-order ones first, then the run-wide ones; each call uses one.
    for (const source of [orderFaults, this.runFaults]) {
      if (!source) continue;
      if (count(source.api_timeout) > 0) {
        source.api_timeout = count(source.api_timeout) - 1;
        this.heldResponses.add(res);
        res.on('close', () => this.heldResponses.delete(res));
        return;
      }
      if (count(source.api_5xx) > 0) {
        source.api_5xx = count(source.api_5xx) - 1;
        record.status = this.answer(res, 500, { code: 'SYSTEM_ERROR', message: '系统错误' }, claimed, {});
        return;
      }
    }

    let merchant: Merchant | null = claimed;
    try {
      merchant = this.authenticate(req, raw);
      const answered = this.route(method, url, raw, merchant);
      record.status = this.answer(res, answered.status, answered.body, merchant, faults);
    } catch (error) {
      if (!(error instanceof ApiError)) throw error;
      const body: Record<string, unknown> = { code: error.code, message: error.message };
      if (error.detail) body.detail = error.detail;
      record.status = this.answer(res, error.status, body, merchant, faults);
    }
  }

  /** Which order a call is about (for per-order faults). */
  private orderKeyOf(path: string, raw: string): string | null {
    const inPath = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)/.exec(path);
    if (inPath) return decodeURIComponent(inPath[1]);
    const refundQuery = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
    if (refundQuery) return this.refunds.get(decodeURIComponent(refundQuery[1]))?.out_trade_no ?? null;
    try {
      const body: unknown = JSON.parse(raw);
      if (isObject(body) && typeof body.out_trade_no === 'string') return body.out_trade_no;
    } catch {
      // not JSON: no order
    }
    return null;
  }

  private authenticate(req: IncomingMessage, raw: string): Merchant {
    const auth = parseAuthorization(req.headers.authorization);
    if (!auth)
      throw new ApiError(401, 'SIGN_ERROR', 'Authorization 头缺失或格式不对 (WECHATPAY2-SHA256-RSA2048)');
    const merchant = this.merchants.get(auth.mchid);
    if (!merchant) throw new ApiError(400, 'MCH_NOT_EXISTS', '商户号不存在');
    if (auth.serialNo.toUpperCase().replace(/^0+/, '') !== merchant.merchantSerial.replace(/^0+/, '')) {
      throw new ApiError(401, 'SIGN_ERROR', '商户证书序列号不正确');
    }
    if (!/^\d+$/.test(auth.timestamp) || Math.abs(Date.now() / 1000 - Number(auth.timestamp)) > 300) {
      throw new ApiError(401, 'SIGN_ERROR', '请求时间戳与服务器时间相差超过5分钟');
    }
    const message = `${req.method}\n${req.url}\n${auth.timestamp}\n${auth.nonce}\n${raw}\n`;
    if (!rsaVerify(message, auth.signature, merchant.merchantKey)) {
      throw new ApiError(401, 'SIGN_ERROR', '签名错误');
    }
    return merchant;
  }

  private route(
    method: string,
    url: URL,
    raw: string,
    merchant: Merchant,
  ): { status: number; body: Record<string, unknown> | null } {
    const path = url.pathname;
    const order = /^\/v3\/pay\/transactions\/(native|jsapi|h5)$/.exec(path);
    if (method === 'POST' && order) {
      return {
        status: 200,
        body: this.createOrder(order[1] as 'native' | 'jsapi' | 'h5', this.jsonBody(raw), merchant),
      };
    }
    const byNo = /^\/v3\/pay\/transactions\/out-trade-no\/([^/]+)(\/close)?$/.exec(path);
    if (byNo && method === 'GET' && !byNo[2]) {
      if (url.searchParams.get('mchid') !== merchant.mchid) {
        throw new ApiError(400, 'PARAM_ERROR', 'mchid 与商户号不一致', { field: 'mchid', location: 'query' });
      }
      const found = this.orders.get(decodeURIComponent(byNo[1]));
      if (!found || found.mchid !== merchant.mchid) throw new ApiError(404, 'ORDER_NOT_EXIST', '订单不存在');
      this.expire(found);
      return { status: 200, body: this.transactionView(found, false) };
    }
    if (byNo && method === 'POST' && byNo[2]) {
      const body = this.jsonBody(raw);
      if (body.mchid !== merchant.mchid) throw paramError('mchid', 'mchid 与商户号不一致', body.mchid);
      const found = this.orders.get(decodeURIComponent(byNo[1]));
      if (!found || found.mchid !== merchant.mchid) throw new ApiError(404, 'ORDER_NOT_EXIST', '订单不存在');
      if (found.trade_state === 'SUCCESS' || found.trade_state === 'REFUND') {
        throw new ApiError(403, 'ORDERPAID', '订单已支付，不能关闭');
      }
      found.trade_state = 'CLOSED';
      return { status: 204, body: null };
    }
    if (method === 'GET' && path === '/v3/certificates') {
      // The platform certificates, each encrypted with the merchant's APIv3 key (AAD "certificate").
      const validity = certificateValidity(this.platform.certificatePem);
      return {
        status: 200,
        body: {
          data: [
            {
              serial_no: this.platform.serialNo,
              effective_time: beijingTime(validity.from),
              expire_time: beijingTime(validity.to),
              encrypt_certificate: encryptResource(
                this.platform.certificatePem,
                merchant.apiv3Key,
                'certificate',
              ),
            },
          ],
        },
      };
    }
    if (method === 'POST' && path === '/v3/refund/domestic/refunds') {
      return { status: 200, body: this.createRefund(this.jsonBody(raw), merchant) };
    }
    const refundQuery = /^\/v3\/refund\/domestic\/refunds\/([^/]+)$/.exec(path);
    if (method === 'GET' && refundQuery) {
      const refund = this.refunds.get(decodeURIComponent(refundQuery[1]));
      if (!refund || refund.mchid !== merchant.mchid)
        throw new ApiError(404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
      return { status: 200, body: this.refundView(refund, false) };
    }
    if (method === 'POST' && path === '/v3/transfer/batches') {
      return { status: 200, body: this.createTransferBatch(this.jsonBody(raw), merchant) };
    }
    const transferDetail =
      /^\/v3\/transfer\/batches\/out-batch-no\/([^/]+)\/details\/out-detail-no\/([^/]+)$/.exec(path);
    if (method === 'GET' && transferDetail) {
      const batch = this.transferBatches.get(`${merchant.mchid}:${decodeURIComponent(transferDetail[1])}`);
      const detail = batch?.find((d) => d.out_detail_no === decodeURIComponent(transferDetail[2]));
      if (!detail) throw new ApiError(404, 'NOT_FOUND', '记录不存在');
      this.settleTransferDetail(detail);
      const { seen: _seen, ...view } = detail;
      return { status: 200, body: view };
    }
    throw new ApiError(404, 'NOT_FOUND', `${method} ${path} 不存在`);
  }

  /**
   * POST /v3/transfer/batches (商家转账到零钱, 发起批量转账): checks the fields as WeChat does, keeps the batch
   * number once (the same number again is refused with INVALID_REQUEST, whatever it carries) and answers the
   * batch; its details settle at their first query (fault `transfer_status`).
   */
  private createTransferBatch(body: Record<string, unknown>, merchant: Merchant): Record<string, unknown> {
    if (body.appid !== merchant.appid) throw paramError('appid', 'appid 与商户号未绑定', body.appid);
    const batchNo = body.out_batch_no;
    if (typeof batchNo !== 'string' || !/^[A-Za-z0-9]{5,32}$/.test(batchNo)) {
      throw paramError('out_batch_no', 'out_batch_no 须为5-32位数字、大小写字母', batchNo);
    }
    for (const field of ['batch_name', 'batch_remark']) {
      const value = body[field];
      if (typeof value !== 'string' || value === '' || [...value].length > 32) {
        throw paramError(field, `${field} 必填，不超过32个字符`, value);
      }
    }
    const list = body.transfer_detail_list;
    if (!Array.isArray(list) || list.length < 1 || list.length > 1000) {
      throw paramError('transfer_detail_list', 'transfer_detail_list 须有1-1000笔明细');
    }
    if (body.total_num !== list.length)
      throw paramError('total_num', 'total_num 与明细笔数不一致', body.total_num);
    let sum = 0;
    const now = beijingTime(Date.now());
    const batchId = `1030000${digits(25)}`;
    const details: SimTransferDetail[] = list.map((item: unknown, index) => {
      const at = `transfer_detail_list[${index}]`;
      if (!isObject(item)) throw paramError(at, '明细须为对象');
      const { out_detail_no: detailNo, transfer_amount: amount, transfer_remark: remark, openid } = item;
      if (typeof detailNo !== 'string' || !/^[A-Za-z0-9]{5,32}$/.test(detailNo)) {
        throw paramError(`${at}.out_detail_no`, 'out_detail_no 须为5-32位数字、大小写字母', detailNo);
      }
      if (typeof amount !== 'number' || !Number.isInteger(amount) || amount < 10) {
        throw paramError(`${at}.transfer_amount`, 'transfer_amount 须为不小于10的整数（分）', amount);
      }
      if (typeof remark !== 'string' || remark === '' || [...remark].length > 32) {
        throw paramError(`${at}.transfer_remark`, 'transfer_remark 必填，不超过32个字符', remark);
      }
      if (openid !== merchant.payerOpenid) throw paramError(`${at}.openid`, 'openid 与 appid 不匹配', openid);
      if (amount >= 200_000 && item.user_name === undefined) {
        throw paramError(`${at}.user_name`, '转账金额 >= 2000元，收款用户姓名必填');
      }
      sum += amount;
      return {
        mchid: merchant.mchid,
        appid: merchant.appid,
        out_batch_no: batchNo,
        batch_id: batchId,
        out_detail_no: detailNo,
        detail_id: `1040000${digits(25)}`,
        detail_status: 'PROCESSING',
        transfer_amount: amount,
        transfer_remark: remark,
        openid,
        initiate_time: now,
        update_time: now,
        seen: false,
      };
    });
    if (body.total_amount !== sum)
      throw paramError('total_amount', 'total_amount 与明细金额之和不一致', body.total_amount);
    const key = `${merchant.mchid}:${batchNo}`;
    if (this.transferBatches.has(key)) throw new ApiError(400, 'INVALID_REQUEST', '商家批次单号已存在');
    if (this.faultsFor(batchNo).not_enough) throw new ApiError(403, 'NOT_ENOUGH', '商户运营账户资金不足');
    this.transferBatches.set(key, details);
    return { out_batch_no: batchNo, batch_id: batchId, create_time: now, batch_status: 'ACCEPTED' };
  }

  private settleTransferDetail(detail: SimTransferDetail): void {
    if (detail.seen) return;
    detail.seen = true;
    const outcome = this.faultsFor(detail.out_batch_no).transfer_status ?? 'SUCCESS';
    if (outcome === 'PROCESSING') {
      detail.seen = false;
      return;
    }
    detail.detail_status = outcome;
    if (outcome === 'FAIL') detail.fail_reason = 'ACCOUNT_FROZEN';
    detail.update_time = beijingTime(Date.now());
  }

  private jsonBody(raw: string): Record<string, unknown> {
    let body: unknown;
    try {
      body = JSON.parse(raw);
    } catch {
      throw new ApiError(400, 'PARAM_ERROR', '请求体不是合法的JSON');
    }
    if (!isObject(body)) throw new ApiError(400, 'PARAM_ERROR', '请求体不是JSON对象');
    return body;
  }

  private expire(order: SimOrder): void {
    if (order.trade_state === 'NOTPAY' && order.time_expire && Date.parse(order.time_expire) < Date.now()) {
      order.trade_state = 'CLOSED';
    }
  }

  private checkNotifyUrl(value: unknown, field: string): string {
    if (typeof value !== 'string' || value === '' || value.length > 255) {
      throw paramError(field, `${field} 必填，长度不超过255`, value);
    }
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw paramError(field, `${field} 不是合法的URL`, value);
    }
    const local =
      parsed.hostname === '127.0.0.1' || parsed.hostname === 'localhost' || parsed.hostname === '[::1]';
    if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local && this.allowHttpNotify)) {
      throw paramError(field, `${field} 必须是https地址`, value);
    }
    if (parsed.search) throw paramError(field, `${field} 不能携带参数`, value);
    return value;
  }

  private createOrder(
    kind: 'native' | 'jsapi' | 'h5',
    body: Record<string, unknown>,
    merchant: Merchant,
  ): Record<string, unknown> {
    if (body.mchid !== merchant.mchid)
      throw paramError('mchid', 'mchid 与请求头中的商户号不一致', body.mchid);
    if (typeof body.appid !== 'string' || body.appid === '') throw paramError('appid', '缺少参数 appid');
    if (body.appid !== merchant.appid)
      throw new ApiError(400, 'APPID_MCHID_NOT_MATCH', 'appid和mch_id不匹配');
    const description = body.description;
    if (typeof description !== 'string' || description === '' || description.length > 127) {
      throw paramError('description', 'description 必填，长度不超过127个字符', description);
    }
    const outTradeNo = body.out_trade_no;
    if (typeof outTradeNo !== 'string' || !outTradeNoPattern.test(outTradeNo)) {
      throw paramError('out_trade_no', 'out_trade_no 须为6-32位数字、大小写字母或_-|*', outTradeNo);
    }
    const notifyUrl = this.checkNotifyUrl(body.notify_url, 'notify_url');
    const amount = body.amount;
    if (!isObject(amount)) throw paramError('amount', '缺少参数 amount');
    if (typeof amount.total !== 'number' || !Number.isInteger(amount.total) || amount.total < 1) {
      throw paramError('amount.total', 'amount.total 须为大于0的整数（分）', amount.total);
    }
    if (amount.currency !== undefined && amount.currency !== 'CNY') {
      throw paramError('amount.currency', 'amount.currency 只能是CNY', amount.currency);
    }
    let timeExpire: string | null = null;
    if (body.time_expire !== undefined) {
      if (
        typeof body.time_expire !== 'string' ||
        !/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d)$/.test(body.time_expire) ||
        Number.isNaN(Date.parse(body.time_expire))
      ) {
        throw paramError(
          'time_expire',
          'time_expire 须为rfc3339格式 yyyy-MM-DDTHH:mm:ss+TIMEZONE',
          body.time_expire,
        );
      }
      timeExpire = body.time_expire;
    }
    if (body.attach !== undefined && (typeof body.attach !== 'string' || body.attach.length > 128)) {
      throw paramError('attach', 'attach 长度不超过128', body.attach);
    }
    let openid: string | null = null;
    if (kind === 'jsapi') {
      const payer = body.payer;
      if (!isObject(payer) || typeof payer.openid !== 'string' || payer.openid === '') {
        throw paramError('payer.openid', 'JSAPI下单须传 payer.openid');
      }
      if (payer.openid !== merchant.payerOpenid) {
        throw paramError('payer.openid', 'appid和openid不匹配', payer.openid);
      }
      openid = payer.openid;
    }
    let payerIp: string | null = null;
    if (kind === 'h5') {
      const scene = body.scene_info;
      if (!isObject(scene)) throw paramError('scene_info', 'H5下单须传 scene_info');
      if (typeof scene.payer_client_ip !== 'string' || isIP(scene.payer_client_ip) === 0) {
        throw paramError('scene_info.payer_client_ip', 'scene_info.payer_client_ip 须为用户的IPv4或IPv6地址');
      }
      const h5 = scene.h5_info;
      if (!isObject(h5) || !['Wap', 'iOS', 'Android'].includes(String(h5.type))) {
        throw paramError('scene_info.h5_info.type', 'scene_info.h5_info.type 须为 Wap、iOS 或 Android');
      }
      payerIp = scene.payer_client_ip;
    }
    const tradeType: TradeType = kind === 'native' ? 'NATIVE' : kind === 'jsapi' ? 'JSAPI' : 'MWEB';

    const existing = this.orders.get(outTradeNo);
    if (existing) {
      if (existing.mchid !== merchant.mchid) throw new ApiError(403, 'OUT_TRADE_NO_USED', '商户订单号重复');
      this.expire(existing);
      if (existing.trade_state === 'SUCCESS' || existing.trade_state === 'REFUND') {
        throw new ApiError(403, 'ORDERPAID', '该订单已支付');
      }
      if (existing.trade_state === 'CLOSED') throw new ApiError(400, 'ORDER_CLOSED', '订单已关闭');
      if (
        existing.trade_type !== tradeType ||
        existing.total !== amount.total ||
        existing.description !== description ||
        (openid !== null && existing.openid !== openid)
      ) {
        throw new ApiError(400, 'INVALID_REQUEST', '201 商户订单号重复，与原订单参数不一致');
      }
      return this.orderAnswer(existing);
    }

    const prepayId = `wx${Date.now().toString().slice(-10)}${randomBytes(12).toString('hex')}`;
    const created: SimOrder = {
      mchid: merchant.mchid,
      appid: merchant.appid,
      out_trade_no: outTradeNo,
      trade_type: tradeType,
      trade_state: 'NOTPAY',
      description,
      notify_url: notifyUrl,
      total: amount.total,
      attach: typeof body.attach === 'string' ? body.attach : '',
      time_expire: timeExpire,
      openid,
      payer_client_ip: payerIp,
      prepay_id: prepayId,
      code_url: null,
      h5_url: null,
      transaction_id: null,
      success_time: null,
      refunded: 0,
      created_at: new Date().toISOString(),
    };
    if (tradeType === 'NATIVE') {
      const pr = randomBytes(6).toString('hex');
      created.code_url = `weixin://wxpay/bizpayurl?pr=${pr}`;
      this.byPr.set(pr, outTradeNo);
    }
    if (tradeType === 'MWEB') {
      created.h5_url = `${this.url}/h5/pay?prepay_id=${prepayId}&package=${digits(10)}`;
    }
    this.orders.set(outTradeNo, created);
    this.byPrepayId.set(prepayId, outTradeNo);
    return this.orderAnswer(created);
  }

  private orderAnswer(order: SimOrder): Record<string, unknown> {
    if (order.trade_type === 'NATIVE') return { code_url: order.code_url };
    if (order.trade_type === 'MWEB') return { h5_url: order.h5_url };
    return { prepay_id: order.prepay_id };
  }

  private createRefund(body: Record<string, unknown>, merchant: Merchant): Record<string, unknown> {
    const outRefundNo = body.out_refund_no;
    if (typeof outRefundNo !== 'string' || !outRefundNoPattern.test(outRefundNo)) {
      throw paramError('out_refund_no', 'out_refund_no 须为1-64位数字、大小写字母或_-|*@', outRefundNo);
    }
    const outTradeNo = body.out_trade_no;
    if (typeof outTradeNo !== 'string' && typeof body.transaction_id !== 'string') {
      throw paramError('out_trade_no', 'transaction_id 和 out_trade_no 必须二选一');
    }
    const order =
      typeof outTradeNo === 'string'
        ? this.orders.get(outTradeNo)
        : [...this.orders.values()].find((o) => o.transaction_id === body.transaction_id);
    if (!order || order.mchid !== merchant.mchid)
      throw new ApiError(404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    const existing = this.refunds.get(outRefundNo);
    if (existing) {
      if (existing.out_trade_no !== order.out_trade_no) {
        throw new ApiError(400, 'INVALID_REQUEST', '退款单号已被另一笔订单使用');
      }
      return this.refundView(existing, false);
    }
    const notifyUrl =
      body.notify_url === undefined ? null : this.checkNotifyUrl(body.notify_url, 'notify_url');
    const amount = body.amount;
    if (!isObject(amount)) throw paramError('amount', '缺少参数 amount');
    for (const field of ['refund', 'total'] as const) {
      const value = amount[field];
      if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
        throw paramError(`amount.${field}`, `amount.${field} 须为大于0的整数（分）`, value);
      }
    }
    if (amount.currency !== 'CNY')
      throw paramError('amount.currency', 'amount.currency 必填，只能是CNY', amount.currency);
    if (order.trade_state !== 'SUCCESS' && order.trade_state !== 'REFUND') {
      throw new ApiError(400, 'INVALID_REQUEST', '订单未支付，不能退款');
    }
    if (amount.total !== order.total)
      throw paramError('amount.total', '订单金额与原订单不一致', amount.total);
    const refundFee = amount.refund as number;
    if (refundFee > order.total - order.refunded) {
      throw new ApiError(400, 'INVALID_REQUEST', '申请退款金额超过订单可退金额');
    }
    const faults = this.faultsFor(order.out_trade_no);
    if (faults.not_enough) throw new ApiError(403, 'NOT_ENOUGH', '基本账户余额不足，请充值后重新发起');
    if (body.reason !== undefined && (typeof body.reason !== 'string' || body.reason.length > 80)) {
      throw paramError('reason', 'reason 长度不超过80', body.reason);
    }
    const refund: SimRefund = {
      mchid: merchant.mchid,
      out_trade_no: order.out_trade_no,
      transaction_id: order.transaction_id ?? '',
      out_refund_no: outRefundNo,
      refund_id: `5030${digits(25)}`,
      status: 'PROCESSING',
      refund: refundFee,
      total: order.total,
      reason: typeof body.reason === 'string' ? body.reason : '',
      notify_url: notifyUrl,
      create_time: beijingTime(Date.now()),
      success_time: null,
    };
    order.refunded += refundFee;
    this.refunds.set(outRefundNo, refund);
    this.schedule(this.refundDelayMs, () => this.settleRefund(refund, merchant));
    return this.refundView(refund, false);
  }

  private settleRefund(refund: SimRefund, merchant: Merchant): void {
    const order = this.orders.get(refund.out_trade_no);
    const outcome = this.faultsFor(refund.out_trade_no).refund_status ?? 'SUCCESS';
    refund.status = outcome;
    if (outcome === 'SUCCESS') {
      refund.success_time = beijingTime(Date.now());
      if (order) order.trade_state = 'REFUND';
    } else if (order) {
      order.refunded -= refund.refund;
    }
    if (refund.notify_url) {
      this.sendNotify(
        merchant,
        refund.notify_url,
        `REFUND.${outcome}`,
        { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' }[outcome],
        'refund',
        refund.out_trade_no,
        refund.out_refund_no,
        () => this.refundView(refund, true),
      );
    }
  }

  // ---------------------------------------------------------------- payer side

  private view(order: SimOrder): PayerOrderView {
    this.expire(order);
    return {
      description: order.description,
      total: order.total,
      outTradeNo: order.out_trade_no,
      mchid: order.mchid,
      state: order.trade_state,
    };
  }

  private async handlePayer(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (method === 'GET' && path === '/bridge.js') {
      res.writeHead(200, {
        'content-type': 'application/javascript; charset=utf-8',
        'access-control-allow-origin': '*',
        'cache-control': 'no-store',
      });
      res.end(bridgeScript(this.url));
      return;
    }
    if (method === 'GET' && path === '/connect/oauth2/authorize') return this.oauthAuthorize(res, url);
    if (method === 'GET' && path === '/sns/oauth2/access_token') return this.oauthAccessToken(res, url);
    if (method === 'POST' && (path === '/jsapi/request' || path === '/jsapi/pay')) {
      return this.jsapi(res, path === '/jsapi/pay', await readBody(req));
    }

    const scan = /^\/scan\/([0-9a-zA-Z]+)(\/pay|\/cancel)?$/.exec(path);
    if (scan) {
      const order = this.orders.get(this.byPr.get(scan[1]) ?? '');
      if (!order)
        return this.html(res, 404, messagePage('二维码已失效', 'This code_url is unknown to the simulator.'));
      if (method === 'GET' && !scan[2]) return this.html(res, 200, scanPage(this.view(order), scan[1]));
      if (method === 'POST' && scan[2] === '/cancel') {
        return this.html(res, 200, resultPage(this.view(order), '已取消支付 Cancelled'));
      }
      if (method === 'POST' && scan[2] === '/pay') {
        await readBody(req);
        try {
          this.payOrder(order);
        } catch (error) {
          if (error instanceof ApiError)
            return this.html(res, 409, resultPage(this.view(order), error.message));
          throw error;
        }
        return this.html(res, 200, resultPage(this.view(order), '支付成功 Paid'));
      }
    }

    if (path === '/h5/pay') {
      if (method === 'GET') {
        const order = this.orders.get(this.byPrepayId.get(url.searchParams.get('prepay_id') ?? '') ?? '');
        if (!order || order.trade_type !== 'MWEB') {
          return this.html(
            res,
            404,
            messagePage('订单不存在', 'This prepay_id is unknown to the simulator.'),
          );
        }
        return this.html(
          res,
          200,
          h5Page(this.view(order), order.prepay_id, url.searchParams.get('redirect_url')),
        );
      }
      if (method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        const order = this.orders.get(this.byPrepayId.get(form.get('prepay_id') ?? '') ?? '');
        if (!order || order.trade_type !== 'MWEB') {
          return this.html(
            res,
            404,
            messagePage('订单不存在', 'This prepay_id is unknown to the simulator.'),
          );
        }
        let message = '已取消支付 Cancelled';
        if (form.get('choice') === 'pay') {
          try {
            this.payOrder(order);
            message = '支付成功 Paid';
          } catch (error) {
            if (!(error instanceof ApiError)) throw error;
            message = error.message;
          }
        }
        const redirect = form.get('redirect_url');
        if (redirect && /^https?:\/\//.test(redirect)) {
          res.writeHead(302, { location: redirect });
          res.end();
          return;
        }
        return this.html(res, 200, resultPage(this.view(order), message));
      }
    }
    if (method === 'GET' && path === '/') {
      return this.html(
        res,
        200,
        messagePage('WeChat Pay simulator', 'API v3 stand-in; see simulators/wechatpay/README.md.'),
      );
    }
    this.html(res, 404, messagePage('Not found', `${method} ${path}`));
  }

  /** getBrandWCPayRequest from the bridge: the parameters and paySign are checked as WeChat does. */
  private jsapi(res: ServerResponse, pay: boolean, raw: string): void {
    const cors = { 'access-control-allow-origin': '*' };
    const fail = (desc: string) => this.json(res, 200, { ok: false, err_desc: desc }, cors);
    let params: unknown;
    try {
      params = JSON.parse(raw);
    } catch {
      return fail('parameters are not JSON');
    }
    if (!isObject(params)) return fail('parameters are not an object');
    const { appId, timeStamp, nonceStr, signType, paySign } = params;
    const pkg = params.package;
    if ([appId, timeStamp, nonceStr, pkg, signType, paySign].some((v) => typeof v !== 'string' || v === '')) {
      return fail('appId, timeStamp, nonceStr, package, signType and paySign are required');
    }
    if (signType !== 'RSA') return fail('signType must be RSA for API v3');
    const prepayId = /^prepay_id=(.+)$/.exec(pkg as string)?.[1];
    const order = this.orders.get(this.byPrepayId.get(prepayId ?? '') ?? '');
    if (!order || order.trade_type !== 'JSAPI') return fail('package: unknown prepay_id');
    const merchant = this.merchants.get(order.mchid);
    if (!merchant || merchant.appid !== appId) return fail('appId does not match the order');
    const message = `${appId as string}\n${timeStamp as string}\n${nonceStr as string}\n${pkg as string}\n`;
    if (!rsaVerify(message, paySign as string, merchant.merchantKey)) return fail('paySign does not verify');
    if (!pay) {
      this.expire(order);
      if (order.trade_state !== 'NOTPAY') return fail(`the order is ${order.trade_state}`);
      return this.json(
        res,
        200,
        {
          ok: true,
          order: { description: order.description, total: order.total, amount: yuan(order.total) },
        },
        cors,
      );
    }
    try {
      this.payOrder(order);
    } catch (error) {
      if (error instanceof ApiError) return fail(error.message);
      throw error;
    }
    this.json(res, 200, { ok: true }, cors);
  }

  private oauthAuthorize(res: ServerResponse, url: URL): void {
    const appid = url.searchParams.get('appid') ?? '';
    const redirectUri = url.searchParams.get('redirect_uri') ?? '';
    const scope = url.searchParams.get('scope') ?? '';
    const merchant = [...this.merchants.values()].find((m) => m.appid === appid);
    if (!merchant)
      return this.html(res, 400, messagePage('参数错误', 'appid is not registered with the simulator'));
    if (url.searchParams.get('response_type') !== 'code') {
      return this.html(res, 400, messagePage('参数错误', 'response_type must be code'));
    }
    if (scope !== 'snsapi_base' && scope !== 'snsapi_userinfo') {
      return this.html(res, 400, messagePage('参数错误', 'scope must be snsapi_base or snsapi_userinfo'));
    }
    let target: URL;
    try {
      target = new URL(redirectUri);
    } catch {
      return this.html(res, 400, messagePage('redirect_uri 参数错误', 'redirect_uri is not a URL'));
    }
    const code = randomBytes(16).toString('hex');
    this.oauthCodes.set(code, { appid, openid: merchant.payerOpenid, expires: Date.now() + 5 * 60_000 });
    target.searchParams.set('code', code);
    target.searchParams.set('state', url.searchParams.get('state') ?? '');
    res.writeHead(302, { location: target.toString() });
    res.end();
  }

  private oauthAccessToken(res: ServerResponse, url: URL): void {
    const appid = url.searchParams.get('appid') ?? '';
    const merchant = [...this.merchants.values()].find((m) => m.appid === appid);
    if (!merchant) return this.json(res, 200, { errcode: 40013, errmsg: 'invalid appid' });
    if (url.searchParams.get('secret') !== merchant.appSecret) {
      return this.json(res, 200, { errcode: 40125, errmsg: 'invalid appsecret' });
    }
    if (url.searchParams.get('grant_type') !== 'authorization_code') {
      return this.json(res, 200, { errcode: 40002, errmsg: 'invalid grant_type' });
    }
    const code = url.searchParams.get('code') ?? '';
    const issued = this.oauthCodes.get(code);
    this.oauthCodes.delete(code);
    if (!issued || issued.appid !== appid || issued.expires < Date.now()) {
      return this.json(res, 200, { errcode: 40029, errmsg: 'invalid code' });
    }
    this.json(res, 200, {
      access_token: randomBytes(24).toString('hex'),
      expires_in: 7200,
      refresh_token: randomBytes(24).toString('hex'),
      openid: issued.openid,
      scope: 'snsapi_base',
    });
  }
}
