/**
 * An Alipay OpenAPI (v2) stand-in: `gateway.do` for alipay.trade.page.pay / wap.pay / precreate / query / close /
 * refund / fastpay.refund.query, fund.trans.uni.transfer, trade.pay (scene bar_code: the payer's payment code) and
 * trade.cancel, the payer's cashier and scan pages, signed return_url redirects and async notifies
 * retried on Alipay's schedule, plus a control API under `/_sim/` for tests. Written from Alipay's published
 * protocol; it imports neither the gateway nor alipay-sdk.
 */
import { randomBytes, randomInt } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import {
  certSn,
  newRsaKeyPair,
  publicKeyFrom,
  rootCertSn,
  rsa2Sign,
  rsa2Verify,
  SimulatedAlipayCa,
  stringToSign,
  type RsaKeyPair,
} from './crypto.ts';
import { cashierPage, messagePage } from './pages.ts';

export interface AlipaySimulatorOptions {
  host?: string;
  port?: number;
  /** Multiplies Alipay's notify retry schedule (4m, 10m, 10m, 1h, 2h, 6h, 15h); tests use 0.001. */
  notifyRetryScale?: number;
  /** Whether notifies may go to http:// URLs (Alipay itself requires https); default true on 127.0.0.1. */
  allowHttpNotify?: boolean;
  /** Alipay's own key pair (generated when absent). */
  alipayKeys?: RsaKeyPair;
  /** How far a request's timestamp may be from the simulator's clock (default 10 minutes). */
  timestampWindowMs?: number;
  /** How long a payer asked for the password (a payment code ending 1) takes to confirm (default 1000 ms). */
  payerConfirmMs?: number;
}

export interface Faults {
  drop_notify?: boolean;
  duplicate_notify?: boolean;
  delay_notify_ms?: number;
  wrong_amount?: boolean;
  bad_signature?: boolean;
  /** The next N API calls (true = 1) are processed but never answered. */
  api_timeout?: boolean | number;
  /** The next N API calls (true = 1) are answered 502 without being processed. */
  api_5xx?: boolean | number;
}

export interface MerchantInput {
  app_id?: string;
  seller_id?: string;
  /** The app's public key (PEM or bare base64): Alipay's "应用公钥". */
  app_public_key: string;
  mode?: 'public_key' | 'cert';
}

export interface Merchant {
  app_id: string;
  seller_id: string;
  mode: 'public_key' | 'cert';
  app_public_key: string;
  /** Public-key mode: Alipay's public key. Both modes: what verifies the simulator's signatures. */
  alipay_public_key: string;
  /** Certificate mode: the files Alipay's open platform lets the merchant download. */
  app_cert: string | null;
  alipay_public_cert: string | null;
  alipay_root_cert: string | null;
  app_cert_sn: string | null;
  alipay_cert_sn: string | null;
  alipay_root_cert_sn: string | null;
}

type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED' | 'TRADE_FINISHED';

export interface SimRefund {
  out_request_no: string;
  refund_fee: number;
  refund_reason: string | null;
  gmt_refund_pay: string;
}

export interface SimOrder {
  app_id: string;
  out_trade_no: string;
  trade_no: string;
  method: string;
  product_code: string | null;
  subject: string;
  total_fee: number;
  total_amount: string;
  status: TradeStatus;
  notify_url: string | null;
  return_url: string | null;
  quit_url: string | null;
  time_expire: number | null;
  qr_code: string | null;
  gmt_create: string;
  gmt_payment: string | null;
  buyer_id: string | null;
  refunds: SimRefund[];
  faults: Faults;
}

export interface NotifyAttempt {
  time: string;
  url: string;
  out_trade_no: string;
  trade_status: string;
  attempt: number;
  status: number | null;
  answer: string | null;
  error: string | null;
  params: Record<string, string>;
}

export interface RecordedRequest {
  time: string;
  http_method: string;
  method: string | null;
  params: Record<string, string>;
  biz_content: unknown;
  code: string;
  sub_code: string | null;
}

/** Alipay resends an unanswered notify after these delays (then gives up): 8 attempts over ~25 h. */
export const notifyRetryDelaysMs = [4, 10, 10, 60, 120, 360, 900].map((minutes) => minutes * 60_000);

const apiMethods = new Set([
  'alipay.trade.precreate',
  'alipay.trade.query',
  'alipay.trade.close',
  'alipay.trade.refund',
  'alipay.trade.fastpay.refund.query',
  'alipay.fund.trans.uni.transfer',
  'alipay.trade.pay',
  'alipay.trade.cancel',
]);
const pageMethods: Record<string, string> = {
  'alipay.trade.page.pay': 'FAST_INSTANT_TRADE_PAY',
  'alipay.trade.wap.pay': 'QUICK_WAP_WAY',
};
const amountPattern = /^\d+(\.\d{1,2})?$/;
const outTradeNoPattern = /^[A-Za-z0-9_\-.]{1,64}$/;

/** An Alipay business answer: code/msg (+ sub_code/sub_msg) and fields. */
type Answer = Record<string, unknown> & { code: string; msg: string };

class AlipayError extends Error {
  constructor(
    readonly code: string,
    readonly msg: string,
    readonly subCode: string,
    readonly subMsg: string,
  ) {
    super(`${code} ${subCode}: ${subMsg}`);
  }
}
const missing = (sub: string, what: string) =>
  new AlipayError('40001', 'Missing Required Arguments', sub, `缺少${what}`);
const invalid = (sub: string, what: string) => new AlipayError('40002', 'Invalid Arguments', sub, what);
const business = (sub: string, what: string) => new AlipayError('40004', 'Business Failed', sub, what);

function yuanToFen(yuan: string): number | null {
  if (!amountPattern.test(yuan)) return null;
  const [whole, fraction = ''] = yuan.split('.');
  const fen = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

function fenToYuan(fen: number): string {
  const text = String(fen).padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

function beijing(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

function parseBeijing(text: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - 8 * 3600_000;
  return Number.isNaN(ms) ? null : ms;
}

function digits(n: number): string {
  let out = String(randomInt(1, 10));
  while (out.length < n) out += String(randomInt(0, 10));
  return out;
}

function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function countOf(value: boolean | number | undefined): number {
  if (value === true) return 1;
  if (typeof value === 'number' && value > 0) return Math.floor(value);
  return 0;
}

export class AlipaySimulator {
  readonly alipayKeys: RsaKeyPair;
  readonly ca = new SimulatedAlipayCa();
  /** Alipay's public key certificate (leaf + class 2 intermediate), for certificate-mode apps. */
  readonly alipayPublicCert: string;
  private readonly merchants = new Map<string, Merchant>();
  private readonly orders = new Map<string, SimOrder>();
  private readonly transfers = new Map<string, { fee: number; identity: string; answer: Answer }>();
  private readonly notifyLog: NotifyAttempt[] = [];
  private readonly requestLog: RecordedRequest[] = [];
  private runFaults: Faults = {};
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly server = createServer((req, res) => {
    this.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent)
        this.send(res, 500, 'text/plain; charset=utf-8', `simulator error: ${String(error)}`);
    });
  });
  url = '';
  private readonly scale: number;
  private readonly allowHttpNotify: boolean;
  private readonly timestampWindowMs: number;

  constructor(private readonly options: AlipaySimulatorOptions = {}) {
    this.alipayKeys = options.alipayKeys ?? newRsaKeyPair();
    this.alipayPublicCert = this.ca.issueLeaf(
      this.alipayKeys.publicKey,
      'Simulated Alipay',
      '支付宝(中国)网络技术有限公司-Simulated',
    );
    this.scale = options.notifyRetryScale ?? 1;
    this.allowHttpNotify = options.allowHttpNotify ?? true;
    this.timestampWindowMs = options.timestampWindowMs ?? 10 * 60_000;
  }

  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, host, () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const res of this.hanging) res.destroy();
    this.hanging.clear();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- control ---------------------------------------------------------------------------------------------

  registerMerchant(input: MerchantInput): Merchant {
    if (!input || typeof input.app_public_key !== 'string') throw new Error('app_public_key is required');
    const publicKey = publicKeyFrom(input.app_public_key);
    const appPublicKey = (publicKey.export({ type: 'spki', format: 'pem' }) as string).trim();
    const appId = input.app_id ?? `2021${digits(12)}`;
    if (!/^\d{16}$/.test(appId)) throw new Error('app_id must be 16 digits');
    const sellerId = input.seller_id ?? `2088${digits(12)}`;
    const mode = input.mode ?? 'public_key';
    let certs: Pick<
      Merchant,
      | 'app_cert'
      | 'alipay_public_cert'
      | 'alipay_root_cert'
      | 'app_cert_sn'
      | 'alipay_cert_sn'
      | 'alipay_root_cert_sn'
    > = {
      app_cert: null,
      alipay_public_cert: null,
      alipay_root_cert: null,
      app_cert_sn: null,
      alipay_cert_sn: null,
      alipay_root_cert_sn: null,
    };
    if (mode === 'cert') {
      const appCert = this.ca.issueLeaf(appPublicKey, `Merchant ${sellerId}`, appId);
      certs = {
        app_cert: appCert,
        alipay_public_cert: this.alipayPublicCert,
        alipay_root_cert: this.ca.rootBundle,
        app_cert_sn: certSn(appCert),
        alipay_cert_sn: certSn(this.alipayPublicCert),
        alipay_root_cert_sn: rootCertSn(this.ca.rootBundle),
      };
    }
    const merchant: Merchant = {
      app_id: appId,
      seller_id: sellerId,
      mode,
      app_public_key: appPublicKey,
      alipay_public_key: this.alipayKeys.publicKey,
      ...certs,
    };
    this.merchants.set(appId, merchant);
    return merchant;
  }

  listOrders(): SimOrder[] {
    return [...this.orders.values()];
  }

  findOrder(outTradeNo: string): SimOrder | undefined {
    return [...this.orders.values()].find((o) => o.out_trade_no === outTradeNo || o.trade_no === outTradeNo);
  }

  setRunFaults(faults: Faults): void {
    this.runFaults = { ...faults };
  }

  setOrderFaults(outTradeNo: string, faults: Faults): void {
    const order = this.findOrder(outTradeNo);
    if (!order) throw new Error(`no order ${outTradeNo}`);
    order.faults = { ...faults };
  }

  notifies(): NotifyAttempt[] {
    return [...this.notifyLog];
  }

  requests(): RecordedRequest[] {
    return [...this.requestLog];
  }

  /** The payer pays (the cashier's or scan page's pay button). Returns where the payer's browser goes next. */
  pay(order: SimOrder): { redirect: string | null } {
    this.expireIfDue(order);
    if (order.status === 'TRADE_CLOSED') throw business('ACQ.TRADE_HAS_CLOSE', '交易已关闭');
    if (order.status !== 'WAIT_BUYER_PAY') return { redirect: this.returnUrlFor(order) };
    order.status = 'TRADE_SUCCESS';
    order.gmt_payment = beijing(Date.now());
    order.buyer_id = `2088${digits(12)}`;
    this.startNotify(order, {});
    return { redirect: this.returnUrlFor(order) };
  }

  // ---- http ------------------------------------------------------------------------------------------------

  private send(
    res: ServerResponse,
    status: number,
    contentType: string,
    body: string,
    headers: Record<string, string> = {},
  ) {
    res.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store', ...headers });
    res.end(body);
  }

  private json(res: ServerResponse, status: number, body: unknown) {
    this.send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const path = url.pathname;
    if (path === '/gateway.do') return this.gateway(req, res, url);
    if (path.startsWith('/_sim/')) return this.control(req, res, path);
    const cashier = /^\/(cashier|scan)\/([A-Za-z0-9]+)(?:\/(pay|cancel))?$/.exec(path);
    if (cashier)
      return this.cashier(
        req,
        res,
        cashier[1] as 'cashier' | 'scan',
        cashier[2],
        cashier[3] as 'pay' | 'cancel' | undefined,
      );
    if (path === '/') {
      return this.send(
        res,
        200,
        'text/plain; charset=utf-8',
        'Alipay simulator: POST /gateway.do, control API under /_sim/\n',
      );
    }
    this.send(res, 404, 'text/plain; charset=utf-8', 'not found');
  }

  private async control(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    const body = req.method === 'POST' ? await readBody(req) : '';
    let input: Record<string, unknown> = {};
    if (body) {
      try {
        input = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return this.json(res, 400, { error: 'body is not JSON' });
      }
    }
    try {
      if (req.method === 'POST' && path === '/_sim/merchants') {
        return this.json(res, 200, this.registerMerchant(input as unknown as MerchantInput));
      }
      if (req.method === 'GET' && path === '/_sim/orders') return this.json(res, 200, this.listOrders());
      if (req.method === 'POST' && path === '/_sim/faults') {
        this.setRunFaults(input as Faults);
        return this.json(res, 200, this.runFaults);
      }
      if (req.method === 'GET' && path === '/_sim/notifies') return this.json(res, 200, this.notifies());
      if (req.method === 'GET' && path === '/_sim/requests') return this.json(res, 200, this.requests());
      const match = /^\/_sim\/orders\/([^/]+)(?:\/(pay|faults))?$/.exec(path);
      if (match) {
        const order = this.findOrder(decodeURIComponent(match[1]));
        if (!order) return this.json(res, 404, { error: `no order ${match[1]}` });
        if (req.method === 'GET' && !match[2]) return this.json(res, 200, order);
        if (req.method === 'POST' && match[2] === 'pay') {
          const { redirect } = this.pay(order);
          return this.json(res, 200, { order, return_url: redirect });
        }
        if (req.method === 'POST' && match[2] === 'faults') {
          this.setOrderFaults(order.out_trade_no, input as Faults);
          return this.json(res, 200, order.faults);
        }
      }
      return this.json(res, 404, { error: 'not found' });
    } catch (error) {
      return this.json(res, 400, { error: error instanceof Error ? error.message : String(error) });
    }
  }

  private async cashier(
    req: IncomingMessage,
    res: ServerResponse,
    kind: 'cashier' | 'scan',
    tradeNo: string,
    action: 'pay' | 'cancel' | undefined,
  ): Promise<void> {
    const order = [...this.orders.values()].find((o) => o.trade_no === tradeNo);
    if (!order)
      return this.send(res, 404, 'text/html; charset=utf-8', messagePage('订单不存在 / Order not found', ''));
    this.expireIfDue(order);
    if (!action) {
      if (req.method !== 'GET') return this.send(res, 405, 'text/plain', 'method not allowed');
      return this.send(res, 200, 'text/html; charset=utf-8', cashierPage(order, kind));
    }
    if (req.method !== 'POST') return this.send(res, 405, 'text/plain', 'method not allowed');
    await readBody(req);
    if (action === 'cancel') {
      if (order.quit_url) return this.send(res, 302, 'text/plain', '', { location: order.quit_url });
      return this.send(
        res,
        200,
        'text/html; charset=utf-8',
        messagePage('已取消付款 / Payment cancelled', order.subject),
      );
    }
    if (order.status === 'TRADE_CLOSED') {
      return this.send(
        res,
        200,
        'text/html; charset=utf-8',
        messagePage('交易已关闭 / Trade closed', order.subject),
      );
    }
    const { redirect } = this.pay(order);
    if (redirect && kind === 'cashier') return this.send(res, 302, 'text/plain', '', { location: redirect });
    return this.send(
      res,
      200,
      'text/html; charset=utf-8',
      messagePage(`支付成功 / Paid ¥${order.total_amount}`, order.subject),
    );
  }

  // ---- gateway.do ------------------------------------------------------------------------------------------

  private async gateway(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    if (req.method === 'POST') {
      const body = await readBody(req);
      for (const [k, v] of new URLSearchParams(body)) params[k] = v;
    } else if (req.method !== 'GET') {
      return this.send(res, 405, 'text/plain', 'method not allowed');
    }
    const method = params.method ?? null;
    const record: RecordedRequest = {
      time: new Date().toISOString(),
      http_method: req.method ?? '',
      method,
      params: { ...params },
      biz_content: null,
      code: '10000',
      sub_code: null,
    };
    this.requestLog.push(record);
    const isPage = method !== null && method in pageMethods;

    let biz: Record<string, unknown> = {};
    let merchant: Merchant | undefined;
    let answer: Answer;
    let order: SimOrder | undefined;
    try {
      merchant = this.checkCommon(params);
      biz = this.parseBiz(params);
      record.biz_content = biz;
      order =
        typeof biz.out_trade_no === 'string' ? this.orderOf(merchant.app_id, biz.out_trade_no) : undefined;
      if (!isPage) {
        if (this.consume('api_5xx', order)) {
          record.code = '502';
          return this.send(res, 502, 'text/html', '<html><body>502 Bad Gateway</body></html>');
        }
      }
      answer = this.dispatch(method as string, params, biz, merchant);
    } catch (error) {
      if (!(error instanceof AlipayError)) throw error;
      answer = { code: error.code, msg: error.msg, sub_code: error.subCode, sub_msg: error.subMsg };
    }
    record.code = answer.code;
    record.sub_code = (answer.sub_code as string | undefined) ?? null;

    if (isPage) {
      if (answer.code !== '10000') {
        return this.send(
          res,
          200,
          'text/html; charset=utf-8',
          messagePage(
            `错误代码 ${String(answer.sub_code)} / Error ${String(answer.sub_code)}`,
            String(answer.sub_msg),
          ),
        );
      }
      return this.send(res, 302, 'text/plain', '', {
        location: `${this.url}/cashier/${String(answer.trade_no)}`,
      });
    }

    const responseKey =
      method && apiMethods.has(method) ? `${method.replaceAll('.', '_')}_response` : 'error_response';
    const text = this.signedAnswer(responseKey, answer, merchant);
    if (
      this.consume(
        'api_timeout',
        order ?? this.orderOf(merchant?.app_id ?? '', String(biz.out_trade_no ?? '')),
      )
    ) {
      // Processed, never answered: the caller times out (a refund made but its answer lost, say).
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    this.send(res, 200, 'application/json; charset=utf-8', text);
  }

  /** Consumes one count of an api_* fault: the order's first, then the run-wide one. */
  private consume(fault: 'api_5xx' | 'api_timeout', order: SimOrder | undefined): boolean {
    if (order && countOf(order.faults[fault]) > 0) {
      order.faults[fault] = countOf(order.faults[fault]) - 1;
      return true;
    }
    if (countOf(this.runFaults[fault]) > 0) {
      this.runFaults[fault] = countOf(this.runFaults[fault]) - 1;
      return true;
    }
    return false;
  }

  /** Alipay's answer text: `{"<key>":<object>,["alipay_cert_sn":…,]"sign":…}`, signed over the raw object text. */
  private signedAnswer(responseKey: string, answer: Answer, merchant: Merchant | undefined): string {
    // Alipay escapes "/" in its JSON and signs the text as sent.
    const objectText = JSON.stringify(answer).replaceAll('/', '\\/');
    const sign = rsa2Sign(objectText, this.alipayKeys.privateKey);
    const certPart =
      merchant?.mode === 'cert' ? `,"alipay_cert_sn":${JSON.stringify(merchant.alipay_cert_sn)}` : '';
    return `{"${responseKey}":${objectText}${certPart},"sign":${JSON.stringify(sign)}}`;
  }

  private checkCommon(params: Record<string, string>): Merchant {
    if (!params.app_id) throw missing('isv.missing-app-id', 'AppID参数');
    if (!params.method) throw missing('isv.missing-method', '方法名参数');
    if (!params.sign) throw missing('isv.missing-signature', '签名参数');
    if (!params.sign_type) throw missing('isv.missing-signature-type', '签名类型参数');
    if (!params.timestamp) throw missing('isv.missing-timestamp', '时间戳参数');
    if (!params.version) throw missing('isv.missing-version', '版本参数');
    const merchant = this.merchants.get(params.app_id);
    if (!merchant) throw invalid('isv.invalid-app-id', '无效的AppID参数');
    if (!(params.method in pageMethods) && !apiMethods.has(params.method))
      throw invalid('isv.invalid-method', '不存在的方法名');
    if (params.format !== undefined && params.format.toUpperCase() !== 'JSON')
      throw invalid('isv.invalid-format', '无效的数据格式参数');
    if (params.charset !== undefined && params.charset.toLowerCase() !== 'utf-8')
      throw invalid('isv.invalid-charset', '字符集错误');
    if (params.version !== '1.0') throw invalid('isv.invalid-version', '无效的版本参数');
    if (params.sign_type !== 'RSA2') throw invalid('isv.invalid-signature-type', '无效的签名类型参数');
    const sentAt = parseBeijing(params.timestamp);
    if (sentAt === null) throw invalid('isv.invalid-timestamp', '非法的时间戳参数 (yyyy-MM-dd HH:mm:ss)');
    if (Math.abs(sentAt - Date.now()) > this.timestampWindowMs) {
      throw invalid('isv.invalid-timestamp', '非法的时间戳参数: 与支付宝服务器时间(北京时间)相差过大');
    }
    if (merchant.mode === 'cert') {
      if (!params.app_cert_sn) throw missing('isv.missing-app-cert-sn', '应用公钥证书序列号');
      if (!params.alipay_root_cert_sn) throw missing('isv.missing-alipay-root-cert-sn', '支付宝根证书序列号');
      if (params.app_cert_sn !== merchant.app_cert_sn)
        throw invalid('isv.app-cert-sn-mismatch', '应用公钥证书序列号不匹配');
      if (params.alipay_root_cert_sn !== merchant.alipay_root_cert_sn) {
        throw invalid('isv.alipay-root-cert-sn-mismatch', '支付宝根证书序列号不匹配');
      }
    }
    // Requests are signed over every parameter except `sign` (sign_type included), empty ones dropped.
    const content = stringToSign(params, ['sign']);
    if (!rsa2Verify(content, params.sign, merchant.app_public_key)) {
      throw invalid(
        'isv.invalid-signature',
        `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}`,
      );
    }
    return merchant;
  }

  private parseBiz(params: Record<string, string>): Record<string, unknown> {
    if (!params.biz_content) throw missing('isv.missing-biz-content', 'biz_content参数');
    let biz: unknown;
    try {
      biz = JSON.parse(params.biz_content);
    } catch {
      throw invalid('isv.invalid-biz-content', 'biz_content不是合法的JSON');
    }
    if (typeof biz !== 'object' || biz === null || Array.isArray(biz))
      throw invalid('isv.invalid-biz-content', 'biz_content不是JSON对象');
    return biz as Record<string, unknown>;
  }

  private orderOf(appId: string, outTradeNo: string): SimOrder | undefined {
    return this.orders.get(`${appId}|${outTradeNo}`);
  }

  private bizString(biz: Record<string, unknown>, field: string, required: boolean): string | null {
    const value = biz[field];
    if (value === undefined || value === null || value === '') {
      if (required) throw business('ACQ.INVALID_PARAMETER', `参数无效: 缺少 ${field}`);
      return null;
    }
    if (typeof value !== 'string') throw business('ACQ.INVALID_PARAMETER', `参数无效: ${field} 必须是字符串`);
    return value;
  }

  private amountOf(biz: Record<string, unknown>, field: string): number {
    const text = this.bizString(biz, field, true) as string;
    const fen = yuanToFen(text);
    if (fen === null) throw business('ACQ.INVALID_PARAMETER', `参数无效: ${field} 格式错误 (${text})`);
    if (fen < 1 || fen > 100_000_000_00)
      throw business('ACQ.TOTAL_FEE_EXCEED', `${field} 超出范围 [0.01,100000000]`);
    return fen;
  }

  private tradeOf(merchant: Merchant, biz: Record<string, unknown>): SimOrder {
    const outTradeNo = this.bizString(biz, 'out_trade_no', false);
    const tradeNo = this.bizString(biz, 'trade_no', false);
    if (!outTradeNo && !tradeNo)
      throw business('ACQ.INVALID_PARAMETER', '参数无效: out_trade_no 和 trade_no 不能同时为空');
    const order = outTradeNo
      ? this.orderOf(merchant.app_id, outTradeNo)
      : [...this.orders.values()].find((o) => o.app_id === merchant.app_id && o.trade_no === tradeNo);
    if (!order) throw business('ACQ.TRADE_NOT_EXIST', '交易不存在');
    this.expireIfDue(order);
    return order;
  }

  private dispatch(
    method: string,
    params: Record<string, string>,
    biz: Record<string, unknown>,
    merchant: Merchant,
  ): Answer {
    switch (method) {
      case 'alipay.trade.page.pay':
      case 'alipay.trade.wap.pay':
      case 'alipay.trade.precreate':
        return this.create(method, params, biz, merchant);
      case 'alipay.trade.query':
        return this.query(biz, merchant);
      case 'alipay.trade.close':
        return this.closeTrade(biz, merchant);
      case 'alipay.trade.refund':
        return this.refund(biz, merchant);
      case 'alipay.trade.fastpay.refund.query':
        return this.refundQuery(biz, merchant);
      case 'alipay.fund.trans.uni.transfer':
        return this.transfer(biz, merchant);
      case 'alipay.trade.pay':
        return this.barCodePay(params, biz, merchant);
      case 'alipay.trade.cancel':
        return this.cancel(biz, merchant);
      default:
        throw invalid('isv.invalid-method', '不存在的方法名');
    }
  }

  private create(
    method: string,
    params: Record<string, string>,
    biz: Record<string, unknown>,
    merchant: Merchant,
  ): Answer {
    const outTradeNo = this.bizString(biz, 'out_trade_no', true) as string;
    if (!outTradeNoPattern.test(outTradeNo)) {
      throw business(
        'ACQ.INVALID_PARAMETER',
        '参数无效: out_trade_no 最长64位，只能包含字母、数字、下划线、中划线和点',
      );
    }
    const totalFee = this.amountOf(biz, 'total_amount');
    const subject = this.bizString(biz, 'subject', true) as string;
    if (subject.length > 256) throw business('ACQ.INVALID_PARAMETER', '参数无效: subject 过长');
    const productCode = this.bizString(biz, 'product_code', method in pageMethods);
    if (method in pageMethods && productCode !== pageMethods[method]) {
      throw invalid('isv.invalid-parameter', `product_code 应为 ${pageMethods[method]}`);
    }
    if (
      method === 'alipay.trade.precreate' &&
      productCode !== null &&
      productCode !== 'FACE_TO_FACE_PAYMENT'
    ) {
      throw invalid('isv.invalid-parameter', 'product_code 应为 FACE_TO_FACE_PAYMENT');
    }
    const timeExpireText = this.bizString(biz, 'time_expire', false);
    const timeExpire = timeExpireText === null ? null : parseBeijing(timeExpireText);
    if (timeExpireText !== null && timeExpire === null)
      throw business('ACQ.INVALID_PARAMETER', '参数无效: time_expire 格式错误');
    for (const field of ['notify_url', 'return_url'] as const) {
      if (params[field] !== undefined && !/^https?:\/\//.test(params[field]))
        throw invalid('isv.invalid-parameter', `${field} 不是合法的URL`);
    }
    const quitUrl = this.bizString(biz, 'quit_url', false);

    const existing = this.orderOf(merchant.app_id, outTradeNo);
    if (existing) {
      this.expireIfDue(existing);
      if (existing.status === 'TRADE_SUCCESS' || existing.status === 'TRADE_FINISHED')
        throw business('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
      if (existing.status === 'TRADE_CLOSED') throw business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      if (existing.total_fee !== totalFee || existing.subject !== subject) {
        throw business('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改: 同一 out_trade_no 的金额或标题不同');
      }
      existing.notify_url = params.notify_url ?? existing.notify_url;
      existing.return_url = params.return_url ?? existing.return_url;
      existing.quit_url = quitUrl ?? existing.quit_url;
      return this.createAnswer(existing);
    }
    const tradeNo = `${beijing(Date.now()).replace(/\D/g, '').slice(0, 8)}22001${digits(17)}`;
    const order: SimOrder = {
      app_id: merchant.app_id,
      out_trade_no: outTradeNo,
      trade_no: tradeNo,
      method,
      product_code: productCode,
      subject,
      total_fee: totalFee,
      total_amount: fenToYuan(totalFee),
      status: 'WAIT_BUYER_PAY',
      notify_url: params.notify_url ?? null,
      return_url: params.return_url ?? null,
      quit_url: quitUrl,
      time_expire: timeExpire,
      qr_code: method === 'alipay.trade.precreate' ? `${this.url}/scan/${tradeNo}` : null,
      gmt_create: beijing(Date.now()),
      gmt_payment: null,
      buyer_id: null,
      refunds: [],
      faults: {},
    };
    this.orders.set(`${merchant.app_id}|${outTradeNo}`, order);
    return this.createAnswer(order);
  }

  private createAnswer(order: SimOrder): Answer {
    if (order.method === 'alipay.trade.precreate') {
      return { code: '10000', msg: 'Success', out_trade_no: order.out_trade_no, qr_code: order.qr_code };
    }
    return { code: '10000', msg: 'Success', out_trade_no: order.out_trade_no, trade_no: order.trade_no };
  }

  private query(biz: Record<string, unknown>, merchant: Merchant): Answer {
    const order = this.tradeOf(merchant, biz);
    const paid =
      order.status === 'TRADE_SUCCESS' || order.status === 'TRADE_FINISHED' || order.gmt_payment !== null;
    return {
      code: '10000',
      msg: 'Success',
      trade_no: order.trade_no,
      out_trade_no: order.out_trade_no,
      trade_status: order.status,
      total_amount: order.total_amount,
      ...(paid
        ? {
            buyer_logon_id: 'sim***@alipay.example',
            buyer_user_id: order.buyer_id,
            buyer_pay_amount: order.total_amount,
            receipt_amount: order.total_amount,
            invoice_amount: order.total_amount,
            point_amount: '0.00',
            send_pay_date: order.gmt_payment,
          }
        : {}),
    };
  }

  private closeTrade(biz: Record<string, unknown>, merchant: Merchant): Answer {
    const order = this.tradeOf(merchant, biz);
    if (order.status !== 'WAIT_BUYER_PAY') throw business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    order.status = 'TRADE_CLOSED';
    return { code: '10000', msg: 'Success', trade_no: order.trade_no, out_trade_no: order.out_trade_no };
  }

  private refund(biz: Record<string, unknown>, merchant: Merchant): Answer {
    const order = this.tradeOf(merchant, biz);
    const refundFee = this.amountOf(biz, 'refund_amount');
    const outRequestNo = this.bizString(biz, 'out_request_no', false) ?? order.trade_no;
    if (outRequestNo.length > 64) throw business('ACQ.INVALID_PARAMETER', '参数无效: out_request_no 过长');
    const reason = this.bizString(biz, 'refund_reason', false);
    const refunded = () => order.refunds.reduce((sum, r) => sum + r.refund_fee, 0);
    const answer = (fundChange: 'Y' | 'N', at: string): Answer => ({
      code: '10000',
      msg: 'Success',
      trade_no: order.trade_no,
      out_trade_no: order.out_trade_no,
      buyer_logon_id: 'sim***@alipay.example',
      buyer_user_id: order.buyer_id,
      fund_change: fundChange,
      refund_fee: fenToYuan(refunded()),
      send_back_fee: fenToYuan(refundFee),
      gmt_refund_pay: at,
    });
    const previous = order.refunds.find((r) => r.out_request_no === outRequestNo);
    if (previous) {
      if (previous.refund_fee !== refundFee)
        throw business('ACQ.REQUEST_AMOUNT_EXCEED', '同一退款请求号的退款金额与之前不一致');
      return answer('N', previous.gmt_refund_pay);
    }
    if (order.status === 'WAIT_BUYER_PAY') throw business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法: 未付款');
    if (order.status === 'TRADE_FINISHED') throw business('ACQ.TRADE_HAS_FINISHED', '交易已完结');
    if (order.status === 'TRADE_CLOSED') throw business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
    if (refunded() + refundFee > order.total_fee)
      throw business('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    const at = beijing(Date.now());
    order.refunds.push({
      out_request_no: outRequestNo,
      refund_fee: refundFee,
      refund_reason: reason,
      gmt_refund_pay: at,
    });
    if (refunded() === order.total_fee) order.status = 'TRADE_CLOSED';
    this.startNotify(order, {
      out_biz_no: outRequestNo,
      refund_fee: fenToYuan(refunded()),
      gmt_refund: `${at}.000`,
    });
    return answer('Y', at);
  }

  /**
   * alipay.fund.trans.uni.transfer (TRANS_ACCOUNT_NO_PWD, DIRECT_TRANSFER, payee by ALIPAY_LOGON_ID): made at once,
   * idempotent by out_biz_no (another amount or payee for a known out_biz_no is refused). A payee whose logon id
   * contains "fail" does not exist (PAYEE_NOT_EXIST), as the simulator's test account.
   */
  private transfer(biz: Record<string, unknown>, merchant: Merchant): Answer {
    const outBizNo = this.bizString(biz, 'out_biz_no', true) as string;
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(outBizNo)) throw business('INVALID_PARAMETER', '参数有误: out_biz_no');
    const fee = this.amountOf(biz, 'trans_amount');
    if (biz.product_code !== 'TRANS_ACCOUNT_NO_PWD')
      throw business('INVALID_PARAMETER', '参数有误: product_code');
    if (biz.biz_scene !== undefined && biz.biz_scene !== 'DIRECT_TRANSFER')
      throw business('INVALID_PARAMETER', '参数有误: biz_scene');
    const payee = biz.payee_info as Record<string, unknown> | undefined;
    const identity = payee && typeof payee.identity === 'string' ? payee.identity : '';
    if (identity === '' || payee?.identity_type !== 'ALIPAY_LOGON_ID')
      throw business('INVALID_PARAMETER', '参数有误: payee_info');
    const key = `${merchant.app_id}|${outBizNo}`;
    const previous = this.transfers.get(key);
    if (previous) {
      if (previous.fee !== fee || previous.identity !== identity)
        throw business('PAYMENT_INFO_INCONSISTENCY', '两次请求商户单号一样，但是参数不一致');
      return previous.answer;
    }
    if (/fail/i.test(identity)) throw business('PAYEE_NOT_EXIST', '收款账号不存在');
    const answer: Answer = {
      code: '10000',
      msg: 'Success',
      out_biz_no: outBizNo,
      order_id: `${beijing(Date.now()).replace(/\D/g, '').slice(0, 8)}${digits(24)}`,
      pay_fund_order_id: `${beijing(Date.now()).replace(/\D/g, '').slice(0, 8)}${digits(24)}`,
      status: 'SUCCESS',
      trans_date: beijing(Date.now()),
    };
    this.transfers.set(key, { fee, identity, answer });
    return answer;
  }

  /**
   * alipay.trade.pay with scene bar_code: the merchant scanned the payer's payment code (auth_code). The simulator's
   * payers, by the code's last digit: `1` must enter the password — answered 10003 (WAIT_BUYER_PAY), confirmed
   * `payerConfirmMs` later (then TRADE_SUCCESS and the notify); `2` has too little balance
   * (ACQ.BUYER_BALANCE_NOT_ENOUGH); `3` never confirms; any other pays at once (10000). A code that is not
   * Alipay's (16–24 digits starting 25–30) is ACQ.PAYMENT_AUTH_CODE_INVALID. Idempotent by out_trade_no.
   */
  private barCodePay(
    params: Record<string, string>,
    biz: Record<string, unknown>,
    merchant: Merchant,
  ): Answer {
    const scene = this.bizString(biz, 'scene', true) as string;
    if (scene !== 'bar_code' && scene !== 'security_code')
      throw invalid('isv.invalid-parameter', 'scene 应为 bar_code 或 security_code');
    const authCode = this.bizString(biz, 'auth_code', true) as string;
    const outTradeNo = this.bizString(biz, 'out_trade_no', true) as string;
    if (!outTradeNoPattern.test(outTradeNo))
      throw business('ACQ.INVALID_PARAMETER', '参数无效: out_trade_no');
    const totalFee = this.amountOf(biz, 'total_amount');
    const subject = this.bizString(biz, 'subject', true) as string;
    const productCode = this.bizString(biz, 'product_code', false);
    if (productCode !== null && productCode !== 'FACE_TO_FACE_PAYMENT')
      throw invalid('isv.invalid-parameter', 'product_code 应为 FACE_TO_FACE_PAYMENT');
    const existing = this.orderOf(merchant.app_id, outTradeNo);
    if (existing) {
      if (existing.total_fee !== totalFee) throw business('ACQ.CONTEXT_INCONSISTENT', '交易信息被篡改');
      if (existing.status === 'TRADE_CLOSED') throw business('ACQ.TRADE_HAS_CLOSE', '交易已经关闭');
      return this.barCodeAnswer(existing);
    }
    if (!/^(2[5-9]|30)\d{14,22}$/.test(authCode))
      throw business(
        'ACQ.PAYMENT_AUTH_CODE_INVALID',
        '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款',
      );
    if (authCode.endsWith('2')) throw business('ACQ.BUYER_BALANCE_NOT_ENOUGH', '买家余额不足');
    const tradeNo = `${beijing(Date.now()).replace(/\D/g, '').slice(0, 8)}22001${digits(17)}`;
    const order: SimOrder = {
      app_id: merchant.app_id,
      out_trade_no: outTradeNo,
      trade_no: tradeNo,
      method: 'alipay.trade.pay',
      product_code: productCode,
      subject,
      total_fee: totalFee,
      total_amount: fenToYuan(totalFee),
      status: 'WAIT_BUYER_PAY',
      notify_url: params.notify_url ?? null,
      return_url: null,
      quit_url: null,
      time_expire: null,
      qr_code: null,
      gmt_create: beijing(Date.now()),
      gmt_payment: null,
      buyer_id: null,
      refunds: [],
      faults: {},
    };
    this.orders.set(`${merchant.app_id}|${outTradeNo}`, order);
    if (authCode.endsWith('1')) {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        if (order.status === 'WAIT_BUYER_PAY') this.pay(order);
      }, this.options.payerConfirmMs ?? 1000);
      this.timers.add(timer);
    } else if (!authCode.endsWith('3')) {
      order.status = 'TRADE_SUCCESS';
      order.gmt_payment = beijing(Date.now());
      order.buyer_id = `2088${digits(12)}`;
    }
    return this.barCodeAnswer(order);
  }

  private barCodeAnswer(order: SimOrder): Answer {
    const fields = {
      trade_no: order.trade_no,
      out_trade_no: order.out_trade_no,
      buyer_logon_id: 'sim***@alipay.example',
      total_amount: order.total_amount,
    };
    if (order.status === 'WAIT_BUYER_PAY') {
      return { code: '10003', msg: ' order success pay inprocess', ...fields };
    }
    return {
      code: '10000',
      msg: 'Success',
      ...fields,
      receipt_amount: order.total_amount,
      buyer_pay_amount: order.total_amount,
      gmt_payment: order.gmt_payment,
      buyer_user_id: order.buyer_id,
    };
  }

  /**
   * alipay.trade.cancel: a trade still waiting is closed (`action: close`), a paid one is refunded in full and closed
   * (`action: refund`); cancelling again answers the same.
   */
  private cancel(biz: Record<string, unknown>, merchant: Merchant): Answer {
    const order = this.tradeOf(merchant, biz);
    let action: 'close' | 'refund' = 'close';
    if (order.status === 'TRADE_SUCCESS' || order.refunds.some((r) => r.out_request_no === 'CANCEL')) {
      action = 'refund';
      if (order.status === 'TRADE_SUCCESS') {
        order.refunds.push({
          out_request_no: 'CANCEL',
          refund_fee: order.total_fee,
          refund_reason: 'cancel',
          gmt_refund_pay: beijing(Date.now()),
        });
      }
    } else if (order.status === 'TRADE_FINISHED') {
      throw business('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    }
    order.status = 'TRADE_CLOSED';
    return {
      code: '10000',
      msg: 'Success',
      trade_no: order.trade_no,
      out_trade_no: order.out_trade_no,
      retry_flag: 'N',
      action,
    };
  }

  private refundQuery(biz: Record<string, unknown>, merchant: Merchant): Answer {
    const order = this.tradeOf(merchant, biz);
    const outRequestNo = this.bizString(biz, 'out_request_no', true) as string;
    const refund = order.refunds.find((r) => r.out_request_no === outRequestNo);
    // Alipay answers 10000 with no refund fields when the refund does not exist.
    if (!refund) return { code: '10000', msg: 'Success' };
    const options = Array.isArray(biz.query_options) ? biz.query_options : [];
    return {
      code: '10000',
      msg: 'Success',
      trade_no: order.trade_no,
      out_trade_no: order.out_trade_no,
      out_request_no: refund.out_request_no,
      total_amount: order.total_amount,
      refund_amount: fenToYuan(refund.refund_fee),
      refund_status: 'REFUND_SUCCESS',
      ...(options.includes('gmt_refund_pay') ? { gmt_refund_pay: refund.gmt_refund_pay } : {}),
    };
  }

  private expireIfDue(order: SimOrder): void {
    if (order.status === 'WAIT_BUYER_PAY' && order.time_expire !== null && order.time_expire <= Date.now()) {
      order.status = 'TRADE_CLOSED';
      this.startNotify(order, { gmt_close: beijing(Date.now()) });
    }
  }

  // ---- return_url and notifies -----------------------------------------------------------------------------

  private returnUrlFor(order: SimOrder): string | null {
    if (!order.return_url || order.method === 'alipay.trade.precreate') return null;
    const merchant = this.merchants.get(order.app_id) as Merchant;
    const params: Record<string, string> = {
      charset: 'utf-8',
      out_trade_no: order.out_trade_no,
      method: `${order.method}.return`,
      total_amount: order.total_amount,
      trade_no: order.trade_no,
      auth_app_id: order.app_id,
      version: '1.0',
      app_id: order.app_id,
      seller_id: merchant.seller_id,
      timestamp: beijing(Date.now()),
      sign_type: 'RSA2',
    };
    params.sign = rsa2Sign(stringToSign(params, ['sign', 'sign_type']), this.alipayKeys.privateKey);
    const url = new URL(order.return_url);
    for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
    return url.toString();
  }

  private notifyParams(
    order: SimOrder,
    extra: Record<string, string>,
    faults: Faults,
  ): Record<string, string> {
    const merchant = this.merchants.get(order.app_id) as Merchant;
    const now = beijing(Date.now());
    const amount = faults.wrong_amount ? fenToYuan(order.total_fee + 1) : order.total_amount;
    const params: Record<string, string> = {
      gmt_create: order.gmt_create,
      charset: 'utf-8',
      subject: order.subject,
      notify_id: randomBytes(16).toString('hex'),
      notify_type: 'trade_status_sync',
      notify_time: now,
      trade_status: order.status,
      app_id: order.app_id,
      auth_app_id: order.app_id,
      seller_id: merchant.seller_id,
      version: '1.0',
      out_trade_no: order.out_trade_no,
      trade_no: order.trade_no,
      total_amount: amount,
      sign_type: 'RSA2',
      ...extra,
    };
    if (order.gmt_payment) {
      Object.assign(params, {
        gmt_payment: order.gmt_payment,
        buyer_id: order.buyer_id ?? '',
        receipt_amount: amount,
        invoice_amount: amount,
        buyer_pay_amount: amount,
        point_amount: '0.00',
        fund_bill_list: JSON.stringify([{ amount, fundChannel: 'ALIPAYACCOUNT' }]),
      });
    }
    for (const key of Object.keys(params)) if (params[key] === '') delete params[key];
    const content = stringToSign(params, ['sign', 'sign_type']);
    // bad_signature: a well-formed signature over other text, as a forger without Alipay's key would produce.
    params.sign = rsa2Sign(
      faults.bad_signature ? `${content}&forged=1` : content,
      this.alipayKeys.privateKey,
    );
    return params;
  }

  private startNotify(order: SimOrder, extra: Record<string, string>): void {
    if (!order.notify_url) return;
    const faults = { ...this.runFaults, ...order.faults };
    const params = this.notifyParams(order, extra, faults);
    if (faults.drop_notify) {
      this.notifyLog.push({
        time: new Date().toISOString(),
        url: order.notify_url,
        out_trade_no: order.out_trade_no,
        trade_status: params.trade_status,
        attempt: 0,
        status: null,
        answer: null,
        error: 'dropped (fault drop_notify)',
        params,
      });
      return;
    }
    const url = order.notify_url;
    const deliver = (attempt: number, delayMs: number) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        void this.postNotify(url, params, order, attempt).then((ok) => {
          if (!ok && attempt < notifyRetryDelaysMs.length)
            deliver(attempt + 1, notifyRetryDelaysMs[attempt] * this.scale);
        });
      }, delayMs);
      timer.unref?.();
      this.timers.add(timer);
    };
    deliver(0, faults.delay_notify_ms ?? 0);
    if (faults.duplicate_notify) {
      // A second, independent delivery of the same notify (Alipay does send duplicates).
      const timer = setTimeout(
        () => {
          this.timers.delete(timer);
          void this.postNotify(url, params, order, 0);
        },
        (faults.delay_notify_ms ?? 0) + 5,
      );
      this.timers.add(timer);
    }
  }

  private async postNotify(
    url: string,
    params: Record<string, string>,
    order: SimOrder,
    attempt: number,
  ): Promise<boolean> {
    const entry: NotifyAttempt = {
      time: new Date().toISOString(),
      url,
      out_trade_no: order.out_trade_no,
      trade_status: params.trade_status,
      attempt,
      status: null,
      answer: null,
      error: null,
      params,
    };
    this.notifyLog.push(entry);
    const target = new URL(url);
    if (target.protocol === 'http:' && !this.allowHttpNotify) {
      entry.error = 'notify_url must be https';
      return false;
    }
    const body = new URLSearchParams(params).toString();
    try {
      const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
        const req = send(
          target,
          {
            method: 'POST',
            headers: {
              'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
              'content-length': Buffer.byteLength(body),
              'user-agent': 'Mozilla/4.0 (Alipay simulator)',
            },
            timeout: 15_000,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
            );
            res.on('error', reject);
          },
        );
        req.on('timeout', () => req.destroy(new Error('notify timed out')));
        req.on('error', reject);
        req.end(body);
      });
      entry.status = status;
      entry.answer = text.slice(0, 200);
      return status === 200 && text === 'success';
    } catch (error) {
      entry.error = error instanceof Error ? error.message : String(error);
      return false;
    }
  }
}
