/**
 * A stand-in for UnionPay's online gateway (ACP 5.1.0) on a local port: the front transaction page
 * (`frontTransReq.do` → card page → front redirect + back notify), `queryTrans.do`, `backTransReq.do` refunds with
 * their notify, its own certificate hierarchy, and fault switches. Written from the protocol, independent of the
 * gateway's adapter. See README.md.
 */
import { randomBytes, X509Certificate } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  answerBody,
  chinaTime,
  readChinaTime,
  signAsUnionpay,
  verifyMerchantSignature,
  yuan,
  type Fields,
} from './acp.ts';
import { createUnionpayHierarchy, simulatorSignerCn, type UnionpayHierarchy } from './certificates.ts';

export interface UnionpayFaults {
  drop_notify?: boolean;
  duplicate_notify?: boolean;
  delay_notify_ms?: number;
  wrong_amount?: boolean;
  bad_signature?: boolean;
  /** Notifies signed with an expired UnionPay certificate. */
  expired_cert?: boolean;
  /** Notifies signed with a certificate from another root → middle chain with the same names. */
  wrong_chain?: boolean;
  /** The next N (true = 1) API calls hang until the caller gives up. */
  api_timeout?: boolean | number;
  /** The next N (true = 1) API calls answer HTTP 502. */
  api_5xx?: boolean | number;
}

export interface SimMerchant {
  merId: string;
  certificatePem: string;
  certId: string;
}

export interface SimRefund {
  merId: string;
  orderId: string;
  txnTime: string;
  txnAmt: string;
  origQryId: string;
  origOrderId: string;
  queryId: string;
  traceNo: string;
  traceTime: string;
  backUrl: string;
  reqReserved: string;
  state: 'success';
}

export interface SimOrder {
  merId: string;
  orderId: string;
  txnTime: string;
  txnAmt: string;
  channelType: string;
  frontUrl: string;
  backUrl: string;
  payTimeout: string | null;
  state: 'created' | 'paid' | 'declined';
  queryId: string | null;
  traceNo: string | null;
  traceTime: string | null;
  settleDate: string | null;
  /** The cashier page's address (GET shows it again). */
  cashierUrl: string;
  refunds: SimRefund[];
  faults: UnionpayFaults;
}

export interface SimNotifyAttempt {
  at: number;
  url: string;
  orderId: string;
  txnType: string;
  status: number | null;
  answer: string;
  error?: string;
}

export interface SimRequest {
  at: number;
  path: string;
  fields: Fields;
}

export interface UnionpaySimulatorOptions {
  host?: string;
  port?: number;
  notifyRetryScale?: number;
  allowHttpNotify?: boolean;
  /** The CN of the simulator's UnionPay signing certificate (default `041@Z12@00040000:SIGN@00000001`, as UnionPay's test environment). */
  signerCn?: string;
}

/** UnionPay resends an unanswered back notify (not HTTP 200) after 1, 2, 4, 8 and 16 minutes. */
export const notifyRetryDelaysMs = [60_000, 120_000, 240_000, 480_000, 960_000];

class BadRequest extends Error {
  constructor(
    readonly respCode: string,
    message: string,
  ) {
    super(message);
  }
}

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem}button{font-size:1.1rem;margin:.3rem .3rem 0 0;padding:.5rem 1rem}</style></head><body>${body}</body></html>`;
}

function autoPostForm(url: string, fields: Fields, label: string): string {
  const inputs = Object.entries(fields)
    .map(([key, value]) => `<input type="hidden" name="${escapeHtml(key)}" value="${escapeHtml(value)}">`)
    .join('');
  return `<form id="front" method="post" action="${escapeHtml(url)}">${inputs}<button type="submit">${escapeHtml(label)}</button></form>
<script>document.getElementById('front').submit()</script>`;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) request.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function postForm(url: string, body: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded;charset=UTF-8',
          'content-length': Buffer.byteLength(body),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.setTimeout(10_000, () => request.destroy(new Error('notify timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

export class UnionpaySimulator {
  readonly hierarchy: UnionpayHierarchy;
  readonly merchants = new Map<string, SimMerchant>();
  readonly orders = new Map<string, SimOrder>();
  readonly refunds = new Map<string, SimRefund>();
  readonly notifies: SimNotifyAttempt[] = [];
  readonly requests: SimRequest[] = [];
  runFaults: UnionpayFaults = {};
  private readonly cashiers = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly hanging = new Set<ServerResponse>();
  private readonly server: http.Server;
  private readonly retryScale: number;
  private readonly allowHttpNotify: boolean;
  private sequence = 0;
  url = '';

  constructor(private readonly options: UnionpaySimulatorOptions = {}) {
    this.hierarchy = createUnionpayHierarchy(options.signerCn ?? simulatorSignerCn);
    this.retryScale = options.notifyRetryScale ?? 1;
    this.allowHttpNotify = options.allowHttpNotify ?? true;
    this.server = http.createServer((request, response) => {
      this.handle(request, response).catch((error: unknown) => {
        if (!response.headersSent) {
          response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
          response.end(`simulator error: ${(error as Error).message}`);
        }
      });
    });
  }

  async listen(): Promise<void> {
    const host = this.options.host ?? '127.0.0.1';
    await new Promise<void>((resolve) => this.server.listen(this.options.port ?? 0, host, resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const response of this.hanging) response.destroy();
    this.hanging.clear();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** What a merchant (and the gateway's settings) needs: the trust anchors and the signer's CN part. */
  registerMerchant(merId: string, certificatePem: string) {
    if (!/^\d{15}$/.test(merId)) throw new BadRequest('30', 'merId must be 15 digits');
    let certificate: X509Certificate;
    try {
      certificate = new X509Certificate(certificatePem);
    } catch {
      throw new BadRequest('30', 'certificate is not a PEM certificate');
    }
    const certId = BigInt(`0x${certificate.serialNumber}`).toString(10);
    this.merchants.set(merId, { merId, certificatePem: certificate.toString(), certId });
    return {
      mer_id: merId,
      cert_id: certId,
      root_certificate: this.hierarchy.root.certificatePem,
      middle_certificate: this.hierarchy.middle.certificatePem,
      signer_certificate: this.hierarchy.signer.certificatePem,
      expected_signer_cn: (this.options.signerCn ?? simulatorSignerCn).split('@')[2],
      front_url: this.url,
      back_url: this.url,
    };
  }

  findOrder(orderId: string): SimOrder | undefined {
    for (const order of this.orders.values()) if (order.orderId === orderId) return order;
    return undefined;
  }

  private faultsFor(order: SimOrder | null): UnionpayFaults {
    return { ...this.runFaults, ...(order?.faults ?? {}) };
  }

  /** Consumes one use of an `api_*` switch (per-order first, then run-wide); whether it fired. */
  private takeApiFault(name: 'api_timeout' | 'api_5xx', order: SimOrder | null): boolean {
    for (const holder of [order?.faults, this.runFaults]) {
      if (!holder) continue;
      const value = holder[name];
      if (value === true || (typeof value === 'number' && value > 0)) {
        const left = value === true ? 0 : value - 1;
        if (left > 0) holder[name] = left;
        else delete holder[name];
        return true;
      }
    }
    return false;
  }

  private nextId(digits: number): string {
    this.sequence += 1;
    const head = chinaTime(Date.now());
    return (
      head +
      String(this.sequence).padStart(6, '0') +
      randomBytes(8).readBigUInt64BE().toString()
    ).slice(0, digits);
  }

  // ---- HTTP ----

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://simulator');
    const path = url.pathname;
    const method = request.method ?? 'GET';
    if (path.startsWith('/_sim/')) return this.control(method, path, await readBody(request), response);
    if (method === 'POST' && path === '/gateway/api/frontTransReq.do') {
      return this.frontTrans(Object.fromEntries(new URLSearchParams(await readBody(request))), response);
    }
    if (path.startsWith('/gateway/cashier/')) {
      const token = path.slice('/gateway/cashier/'.length);
      const key = this.cashiers.get(token);
      const order = key ? this.orders.get(key) : undefined;
      if (!order)
        return this.html(response, 404, page('银联在线支付', '<h1>订单不存在</h1><p>Order not found.</p>'));
      if (method === 'GET') return this.html(response, 200, this.cashierPage(order, token));
      if (method === 'POST') {
        const action = new URLSearchParams(await readBody(request)).get('action');
        return this.payerAction(order, action ?? '', response);
      }
    }
    if (
      method === 'POST' &&
      (path === '/gateway/api/queryTrans.do' || path === '/gateway/api/backTransReq.do')
    ) {
      const fields = Object.fromEntries(new URLSearchParams(await readBody(request)));
      this.requests.push({ at: Date.now(), path, fields });
      const order =
        path === '/gateway/api/queryTrans.do'
          ? (this.orders.get(`${fields.merId}/${fields.orderId}`) ??
            this.orderOfRefund(fields.merId, fields.orderId) ??
            null)
          : (this.orderByQueryId(fields.origQryId ?? '') ?? null);
      if (this.takeApiFault('api_timeout', order)) {
        this.hanging.add(response);
        response.on('close', () => this.hanging.delete(response));
        return; // never answered; closed by the caller's timeout or by close()
      }
      if (this.takeApiFault('api_5xx', order)) {
        response.writeHead(502, { 'content-type': 'text/html; charset=utf-8' });
        response.end('<h1>502 Bad Gateway</h1>');
        return;
      }
      const answer = path === '/gateway/api/queryTrans.do' ? this.queryTrans(fields) : this.backTrans(fields);
      response.writeHead(200, { 'content-type': 'text/plain; charset=UTF-8' });
      response.end(answerBody(answer));
      return;
    }
    this.html(response, 404, page('Not found', '<h1>404</h1>'));
  }

  private html(response: ServerResponse, status: number, body: string): void {
    response.writeHead(status, { 'content-type': 'text/html; charset=utf-8' });
    response.end(body);
  }

  private json(response: ServerResponse, status: number, body: unknown): void {
    response.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    response.end(JSON.stringify(body));
  }

  // ---- Merchant checks shared by every transaction ----

  private checkCommon(fields: Fields, required: string[]): SimMerchant {
    for (const name of [
      'version',
      'encoding',
      'signMethod',
      'certId',
      'signature',
      'merId',
      'txnType',
      'txnSubType',
      'bizType',
      'accessType',
      ...required,
    ]) {
      if (!fields[name]) throw new BadRequest('30', `报文格式错误: ${name} is missing`);
    }
    if (fields.version !== '5.1.0')
      throw new BadRequest('30', `报文格式错误: version ${fields.version} is not 5.1.0`);
    if (fields.encoding.toUpperCase() !== 'UTF-8')
      throw new BadRequest('30', '报文格式错误: encoding must be UTF-8');
    if (fields.signMethod !== '01') throw new BadRequest('30', '报文格式错误: signMethod must be 01');
    if (fields.accessType !== '0') throw new BadRequest('30', '报文格式错误: accessType must be 0');
    const merchant = this.merchants.get(fields.merId);
    if (!merchant) throw new BadRequest('31', '商户状态不正确: merId is not registered');
    if (fields.certId !== merchant.certId)
      throw new BadRequest('11', '验证签名失败: certId is not the merchant certificate');
    if (!verifyMerchantSignature(fields, merchant.certificatePem)) throw new BadRequest('11', '验证签名失败');
    if (!/^[0-9A-Za-z]{8,40}$/.test(fields.orderId ?? ''))
      throw new BadRequest('30', '报文格式错误: orderId must be 8–40 letters or digits');
    const txnTime = readChinaTime(fields.txnTime ?? '');
    if (txnTime === null) throw new BadRequest('30', '报文格式错误: txnTime must be yyyyMMddHHmmss');
    return merchant;
  }

  private checkAmount(text: string | undefined): void {
    if (!text || !/^[1-9]\d{0,11}$/.test(text))
      throw new BadRequest('30', '报文格式错误: txnAmt must be fen digits');
  }

  private checkNotifyUrl(name: string, value: string | undefined): void {
    let url: URL;
    try {
      url = new URL(value ?? '');
    } catch {
      throw new BadRequest('30', `报文格式错误: ${name} is not a URL`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && this.allowHttpNotify)) {
      throw new BadRequest('30', `报文格式错误: ${name} must be https`);
    }
  }

  // ---- Front transaction: the payer's card page ----

  private frontError(response: ServerResponse, respCode: string, respMsg: string): void {
    this.html(
      response,
      200,
      page(
        '银联在线支付 - 交易失败',
        `<h1>交易失败</h1><p>应答码 respCode=<span id="respCode">${escapeHtml(respCode)}</span></p><p id="respMsg">${escapeHtml(respMsg)}</p>`,
      ),
    );
  }

  private frontTrans(fields: Fields, response: ServerResponse): void {
    this.requests.push({ at: Date.now(), path: '/gateway/api/frontTransReq.do', fields });
    try {
      this.checkCommon(fields, [
        'orderId',
        'txnTime',
        'txnAmt',
        'currencyCode',
        'channelType',
        'frontUrl',
        'backUrl',
      ]);
      if (fields.txnType !== '01' || fields.txnSubType !== '01' || fields.bizType !== '000201') {
        throw new BadRequest('32', '无此交易权限: only consumption (01/01, bizType 000201) is served');
      }
      if (fields.channelType !== '07' && fields.channelType !== '08')
        throw new BadRequest('30', '报文格式错误: channelType must be 07 or 08');
      if (fields.currencyCode !== '156') throw new BadRequest('30', '报文格式错误: currencyCode must be 156');
      this.checkAmount(fields.txnAmt);
      this.checkNotifyUrl('frontUrl', fields.frontUrl);
      this.checkNotifyUrl('backUrl', fields.backUrl);
      if (fields.payTimeout) {
        const timeout = readChinaTime(fields.payTimeout);
        if (timeout === null) throw new BadRequest('30', '报文格式错误: payTimeout must be yyyyMMddHHmmss');
        if (timeout < Date.now()) throw new BadRequest('39', '交易已超过支付时间 (payTimeout has passed)');
      }
      const key = `${fields.merId}/${fields.orderId}`;
      const existing = this.orders.get(key);
      if (existing) {
        const same = existing.txnTime === fields.txnTime && existing.txnAmt === fields.txnAmt;
        if (!same) throw new BadRequest('12', '重复交易: orderId was already used');
        if (existing.state !== 'created')
          throw new BadRequest('12', '重复交易: the order is already finished');
        const token = existing.cashierUrl.split('/').pop()!;
        return this.html(response, 200, this.cashierPage(existing, token));
      }
      const token = randomBytes(16).toString('hex');
      const order: SimOrder = {
        merId: fields.merId,
        orderId: fields.orderId,
        txnTime: fields.txnTime,
        txnAmt: fields.txnAmt,
        channelType: fields.channelType,
        frontUrl: fields.frontUrl,
        backUrl: fields.backUrl,
        payTimeout: fields.payTimeout || null,
        state: 'created',
        queryId: null,
        traceNo: null,
        traceTime: null,
        settleDate: null,
        cashierUrl: `${this.url}/gateway/cashier/${token}`,
        refunds: [],
        faults: {},
      };
      this.orders.set(key, order);
      this.cashiers.set(token, key);
      this.html(response, 200, this.cashierPage(order, token));
    } catch (error) {
      if (error instanceof BadRequest) return this.frontError(response, error.respCode, error.message);
      throw error;
    }
  }

  private cashierPage(order: SimOrder, token: string): string {
    const amount = yuan(Number(order.txnAmt));
    const device = order.channelType === '08' ? '手机网页支付' : '网关支付';
    return page(
      '银联在线支付',
      `<h1>银联在线支付 · ${device}</h1>
<p>商户订单号 <code>${escapeHtml(order.orderId)}</code></p>
<p>金额 <strong id="amount">${amount}</strong></p>
<form method="post" action="/gateway/cashier/${token}">
<label>卡号 Card number <input name="card" value="6216 6100 0000 0000 000" autocomplete="off"></label><br>
<button type="submit" name="action" value="pay">Pay ${amount} / 付款</button>
<button type="submit" name="action" value="decline">Decline card / 拒绝</button>
<button type="submit" name="action" value="cancel">Cancel / 返回商户</button>
</form>`,
    );
  }

  private payerAction(order: SimOrder, action: string, response: ServerResponse): void {
    if (order.state !== 'created') {
      return this.html(
        response,
        409,
        page('银联在线支付', '<h1>订单已处理</h1><p>This order is already finished.</p>'),
      );
    }
    if (action === 'pay') {
      this.pay(order);
      return this.html(
        response,
        200,
        page(
          '支付成功',
          `<h1>支付成功</h1>${autoPostForm(order.frontUrl, this.frontFields(order), '返回商户 / Back to merchant')}`,
        ),
      );
    }
    if (action === 'decline') {
      order.state = 'declined';
      return this.html(
        response,
        200,
        page(
          '交易失败',
          `<h1>交易失败</h1>${autoPostForm(order.frontUrl, this.frontFields(order), '返回商户 / Back to merchant')}`,
        ),
      );
    }
    // Cancel: the order stays payable until its payTimeout; the payer goes back to the merchant.
    return this.html(
      response,
      200,
      page(
        '返回商户',
        `<h1>已取消</h1>${autoPostForm(order.frontUrl, this.frontFields(order), '返回商户 / Back to merchant')}`,
      ),
    );
  }

  /** The payer pays: the order becomes paid and its back notify starts. */
  pay(order: SimOrder): SimOrder {
    if (order.state !== 'created') throw new BadRequest('12', `the order is ${order.state}`);
    if (order.payTimeout && (readChinaTime(order.payTimeout) ?? Infinity) < Date.now())
      throw new BadRequest('39', 'payTimeout has passed');
    const now = Date.now();
    order.state = 'paid';
    order.queryId = this.nextId(21);
    order.traceNo = String(100000 + (this.sequence % 900000));
    order.traceTime = chinaTime(now).slice(4);
    order.settleDate = chinaTime(now).slice(4, 8);
    this.sendNotify(order.backUrl, this.resultFields(order, '01'), order);
    return order;
  }

  private resultFields(order: SimOrder, txnType: string): Fields {
    const paid = order.state === 'paid';
    return {
      version: '5.1.0',
      encoding: 'UTF-8',
      bizType: '000201',
      txnType,
      txnSubType: '01',
      accessType: '0',
      merId: order.merId,
      orderId: order.orderId,
      txnTime: order.txnTime,
      txnAmt: order.txnAmt,
      currencyCode: '156',
      respCode: paid ? '00' : order.state === 'declined' ? '01' : '01',
      respMsg: paid
        ? '成功[0000000]'
        : order.state === 'declined'
          ? '交易失败: 发卡行拒绝'
          : '交易失败: 持卡人取消',
      ...(paid
        ? {
            queryId: order.queryId!,
            traceNo: order.traceNo!,
            traceTime: order.traceTime!,
            settleAmt: order.txnAmt,
            settleCurrencyCode: '156',
            settleDate: order.settleDate!,
            accNo: '6216****0000',
            payType: '0001',
            payCardType: '01',
          }
        : {}),
    };
  }

  private frontFields(order: SimOrder): Fields {
    return signAsUnionpay(this.resultFields(order, '01'), this.hierarchy.signer);
  }

  // ---- Notifies ----

  private signerFor(faults: UnionpayFaults) {
    if (faults.expired_cert) return this.hierarchy.expiredSigner;
    if (faults.wrong_chain) return this.hierarchy.wrongChainSigner;
    return this.hierarchy.signer;
  }

  private sendNotify(url: string, fields: Fields, faultOrder: SimOrder): void {
    const faults = this.faultsFor(faultOrder);
    if (faults.drop_notify) return;
    const message = { ...fields };
    if (faults.wrong_amount) message.txnAmt = String(Number(message.txnAmt) + 1);
    const signed = signAsUnionpay(message, this.signerFor(faults));
    if (faults.bad_signature) {
      const bytes = Buffer.from(signed.signature, 'base64');
      bytes[10] ^= 0xff;
      signed.signature = bytes.toString('base64');
    }
    const body = new URLSearchParams(signed).toString();
    let attempt = 0;
    let duplicateSent = false;
    const send = async () => {
      const entry: SimNotifyAttempt = {
        at: Date.now(),
        url,
        orderId: fields.orderId,
        txnType: fields.txnType,
        status: null,
        answer: '',
      };
      try {
        const answer = await postForm(url, body);
        entry.status = answer.status;
        entry.answer = answer.body.slice(0, 200);
      } catch (error) {
        entry.error = (error as Error).message;
      }
      this.notifies.push(entry);
      if (entry.status === 200) {
        if (faults.duplicate_notify && !duplicateSent) {
          duplicateSent = true;
          this.schedule(send, 0);
        }
        return;
      }
      const delay = notifyRetryDelaysMs[attempt++];
      if (delay !== undefined) this.schedule(send, delay * this.retryScale);
    };
    this.schedule(send, faults.delay_notify_ms ?? 0);
  }

  private schedule(task: () => Promise<void>, delayMs: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void task();
    }, delayMs);
    this.timers.add(timer);
  }

  // ---- Back-end transactions ----

  private orderByQueryId(queryId: string): SimOrder | undefined {
    for (const order of this.orders.values()) if (order.queryId === queryId && queryId) return order;
    return undefined;
  }

  private orderOfRefund(merId: string | undefined, orderId: string | undefined): SimOrder | undefined {
    const refund = this.refunds.get(`${merId}/${orderId}`);
    return refund ? this.orderByQueryId(refund.origQryId) : undefined;
  }

  /** A back answer: signed by UnionPay when the request was readable; unsigned for a format or signature error. */
  private backAnswer(request: Fields, fields: Fields, signed: boolean): Fields {
    const base: Fields = {
      version: '5.1.0',
      encoding: 'UTF-8',
      bizType: request.bizType ?? '',
      txnType: request.txnType ?? '',
      txnSubType: request.txnSubType ?? '',
      accessType: '0',
      merId: request.merId ?? '',
      orderId: request.orderId ?? '',
      txnTime: request.txnTime ?? '',
      ...fields,
    };
    for (const key of Object.keys(base)) if (base[key] === '') delete base[key];
    return signed ? signAsUnionpay(base, this.hierarchy.signer) : base;
  }

  private queryTrans(fields: Fields): Fields {
    try {
      this.checkCommon(fields, ['orderId', 'txnTime']);
      if (fields.txnType !== '00' || fields.txnSubType !== '00')
        throw new BadRequest('30', '报文格式错误: a query is txnType 00, txnSubType 00');
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      return this.backAnswer(
        fields,
        { respCode: error.respCode, respMsg: error.message },
        error.respCode !== '11' && error.respCode !== '30',
      );
    }
    const key = `${fields.merId}/${fields.orderId}`;
    const order = this.orders.get(key);
    if (order && order.txnTime === fields.txnTime) {
      // UnionPay knows a front order once the payer finished on its page; before that it is "not found".
      if (order.state === 'created')
        return this.backAnswer(fields, { respCode: '34', respMsg: '查无此交易' }, true);
      const result = this.resultFields(order, '01');
      return this.backAnswer(
        fields,
        {
          respCode: '00',
          respMsg: '成功[0000000]',
          origRespCode: result.respCode,
          origRespMsg: result.respMsg,
          txnAmt: order.txnAmt,
          currencyCode: '156',
          ...(order.state === 'paid'
            ? {
                queryId: order.queryId!,
                traceNo: order.traceNo!,
                traceTime: order.traceTime!,
                settleAmt: order.txnAmt,
                settleCurrencyCode: '156',
                settleDate: order.settleDate!,
              }
            : {}),
        },
        true,
      );
    }
    const refund = this.refunds.get(key);
    if (refund && refund.txnTime === fields.txnTime) {
      return this.backAnswer(
        fields,
        {
          respCode: '00',
          respMsg: '成功[0000000]',
          origRespCode: '00',
          origRespMsg: '成功[0000000]',
          queryId: refund.queryId,
          origQryId: refund.origQryId,
          txnAmt: refund.txnAmt,
          traceNo: refund.traceNo,
          traceTime: refund.traceTime,
          currencyCode: '156',
        },
        true,
      );
    }
    return this.backAnswer(fields, { respCode: '34', respMsg: '查无此交易' }, true);
  }

  private backTrans(fields: Fields): Fields {
    let order: SimOrder | undefined;
    try {
      this.checkCommon(fields, ['orderId', 'txnTime', 'txnAmt', 'origQryId', 'backUrl', 'channelType']);
      if (fields.txnType !== '04' || fields.txnSubType !== '00')
        throw new BadRequest('32', '无此交易权限: only refunds (04/00) are served');
      this.checkAmount(fields.txnAmt);
      this.checkNotifyUrl('backUrl', fields.backUrl);
      const key = `${fields.merId}/${fields.orderId}`;
      if (this.refunds.has(key) || this.orders.has(key)) throw new BadRequest('12', '重复交易');
      order = this.orderByQueryId(fields.origQryId);
      if (!order || order.merId !== fields.merId || order.state !== 'paid') {
        throw new BadRequest('35', '原交易不存在或状态不正确');
      }
      const refunded = order.refunds.reduce((sum, refund) => sum + Number(refund.txnAmt), 0);
      if (refunded + Number(fields.txnAmt) > Number(order.txnAmt))
        throw new BadRequest('33', '交易金额超限: more than the payment left');
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      return this.backAnswer(
        fields,
        { respCode: error.respCode, respMsg: error.message },
        error.respCode !== '11' && error.respCode !== '30',
      );
    }
    const now = Date.now();
    const refund: SimRefund = {
      merId: fields.merId,
      orderId: fields.orderId,
      txnTime: fields.txnTime,
      txnAmt: fields.txnAmt,
      origQryId: fields.origQryId,
      origOrderId: order.orderId,
      queryId: this.nextId(21),
      traceNo: String(100000 + (this.sequence % 900000)),
      traceTime: chinaTime(now).slice(4),
      backUrl: fields.backUrl,
      reqReserved: fields.reqReserved ?? '',
      state: 'success',
    };
    this.refunds.set(`${refund.merId}/${refund.orderId}`, refund);
    order.refunds.push(refund);
    this.sendNotify(
      refund.backUrl,
      {
        version: '5.1.0',
        encoding: 'UTF-8',
        bizType: '000201',
        txnType: '04',
        txnSubType: '00',
        accessType: '0',
        merId: refund.merId,
        orderId: refund.orderId,
        txnTime: refund.txnTime,
        txnAmt: refund.txnAmt,
        currencyCode: '156',
        origQryId: refund.origQryId,
        queryId: refund.queryId,
        traceNo: refund.traceNo,
        traceTime: refund.traceTime,
        settleAmt: refund.txnAmt,
        settleCurrencyCode: '156',
        settleDate: chinaTime(now).slice(4, 8),
        respCode: '00',
        respMsg: '成功[0000000]',
        ...(refund.reqReserved ? { reqReserved: refund.reqReserved } : {}),
      },
      order,
    );
    return this.backAnswer(
      fields,
      {
        respCode: '00',
        respMsg: '成功[0000000]',
        queryId: refund.queryId,
        txnAmt: refund.txnAmt,
        origQryId: refund.origQryId,
      },
      true,
    );
  }

  // ---- Control API ----

  private async control(method: string, path: string, body: string, response: ServerResponse): Promise<void> {
    let input: Record<string, unknown> = {};
    if (body) {
      try {
        input = JSON.parse(body) as Record<string, unknown>;
      } catch {
        return this.json(response, 400, { error: 'body is not JSON' });
      }
    }
    try {
      if (method === 'POST' && path === '/_sim/merchants') {
        if (typeof input.mer_id !== 'string' || typeof input.certificate !== 'string') {
          return this.json(response, 400, { error: 'mer_id and certificate (PEM) are required' });
        }
        return this.json(response, 200, this.registerMerchant(input.mer_id, input.certificate));
      }
      if (method === 'GET' && path === '/_sim/orders')
        return this.json(response, 200, [...this.orders.values()]);
      if (method === 'GET' && path === '/_sim/notifies') return this.json(response, 200, this.notifies);
      if (method === 'GET' && path === '/_sim/requests') return this.json(response, 200, this.requests);
      if (method === 'POST' && path === '/_sim/faults') {
        this.runFaults = input as UnionpayFaults;
        return this.json(response, 200, this.runFaults);
      }
      const match = /^\/_sim\/orders\/([^/]+)(\/pay|\/decline|\/faults)?$/.exec(path);
      if (match) {
        const order = this.findOrder(decodeURIComponent(match[1]));
        if (!order) return this.json(response, 404, { error: 'no such order' });
        if (method === 'GET' && !match[2]) return this.json(response, 200, order);
        if (method === 'POST' && match[2] === '/pay') return this.json(response, 200, this.pay(order));
        if (method === 'POST' && match[2] === '/decline') {
          if (order.state !== 'created')
            return this.json(response, 409, { error: `the order is ${order.state}` });
          order.state = 'declined';
          return this.json(response, 200, order);
        }
        if (method === 'POST' && match[2] === '/faults') {
          order.faults = input as UnionpayFaults;
          return this.json(response, 200, order.faults);
        }
      }
      return this.json(response, 404, { error: 'no such control route' });
    } catch (error) {
      if (error instanceof BadRequest)
        return this.json(response, 409, { error: error.message, respCode: error.respCode });
      throw error;
    }
  }
}
