/**
 * The Alipay adapter (OpenAPI v2, RSA2). Signing requests, verifying answers and the crypto of notify verification
 * go through Alipay's official SDK (`alipay-sdk`); the transport is the gateway's `OutboundHttp` (so its SSRF guard
 * applies), which is why the SDK's own `exec()` (urllib) is not used: the adapter builds the signed parameters with
 * `sdkExecute()` and posts them itself. What the SDK gets wrong for us is handled here: the timestamp is passed in
 * Beijing time, empty parameters are never passed, and notifies are checked strictly (the SDK's notify check also
 * accepts a signature over `sign_type` and keeps empty values).
 */
import type { AlipaySdk } from 'alipay-sdk';
import { lazyModule } from '../../lazy-module.ts';
import {
  ChannelCallError,
  NotifyRejected,
  type CancelResult,
  type ChannelAdapter,
  type ChannelAttempt,
  type PaymentCodeResult,
  type ChannelNotice,
  type ChannelRefundRequest,
  type ChannelTransferRequest,
  type ChannelTransferResult,
  type ChannelUrls,
  type NotifyAnswer,
  type OutboundHttp,
  type PaymentQueryResult,
  type PaymentStart,
  type RawChannelNotify,
  type RefundResult,
  isOutboundTimeout,
} from '../channel.ts';
import { fenToYuan, yuanToFen } from './amount.ts';
import {
  alipayCodes,
  beijingTime,
  notifyUnsignedKeys,
  parseBeijingTime,
  responseKeyFor,
  signContent,
} from './protocol.ts';
import type { AlipaySettings } from './settings.ts';

const defaultTimeoutMs = 10_000;

/** What Alipay answered to an API call, verified. */
interface AlipayAnswer {
  code: string;
  msg: string;
  sub_code?: string;
  sub_msg?: string;
  [field: string]: unknown;
}

/** Sub-codes that mean "ask again later" (Alipay's own advice for them is to retry or query). */
const retryableSubCodes = new Set([
  'ACQ.SYSTEM_ERROR',
  'aop.ACQ.SYSTEM_ERROR',
  'isp.unknow-error',
  'ACQ.SYSTEM_BUSY',
]);

/** `alipay-sdk`, loaded when the first live Alipay adapter is made. */
const alipaySdk = lazyModule<typeof import('alipay-sdk')>('alipay-sdk');

export function createAlipaySdk(settings: AlipaySettings): AlipaySdk {
  const { AlipaySdk } = alipaySdk();
  const common = {
    appId: settings.app_id,
    privateKey: settings.app_private_key.trim(),
    keyType: 'PKCS8' as const,
    gateway: settings.gateway_url,
    signType: 'RSA2' as const,
  };
  return settings.mode === 'public_key'
    ? new AlipaySdk({ ...common, alipayPublicKey: settings.alipay_public_key.trim() })
    : new AlipaySdk({
        ...common,
        appCertContent: settings.app_cert.trim(),
        alipayPublicCertContent: settings.alipay_public_cert.trim(),
        alipayRootCertContent: settings.alipay_root_cert.trim(),
      });
}

export class AlipayAdapter implements ChannelAdapter {
  readonly family = 'ALI' as const;
  private readonly sdk: AlipaySdk;

  constructor(
    private readonly settings: AlipaySettings,
    private readonly http: OutboundHttp,
    private readonly now: () => number = Date.now,
  ) {
    this.sdk = createAlipaySdk(settings);
  }

  /** The signed parameters of one call: common parameters + biz_content, signed by the SDK. */
  signedParams(
    method: string,
    extra: Record<string, string | null>,
    biz: Record<string, unknown>,
  ): Record<string, string> {
    const params: Record<string, unknown> = {
      timestamp: beijingTime(this.now()),
      bizContent: withoutEmpty(biz),
    };
    for (const [key, value] of Object.entries(extra)) if (value) params[key] = value;
    const query = this.sdk.sdkExecute(method, params, { bizContentAutoSnakeCase: false });
    return Object.fromEntries(new URLSearchParams(query));
  }

  async createPayment(attempt: ChannelAttempt, urls: ChannelUrls): Promise<PaymentStart> {
    const biz: Record<string, unknown> = {
      out_trade_no: attempt.outTradeNo,
      total_amount: fenToYuan(attempt.totalFee),
      subject: attempt.title,
      time_expire: attempt.expiresAt === null ? null : beijingTime(attempt.expiresAt),
    };
    if (attempt.channel === 'ALI_QRCODE' || attempt.channel === 'ALI_OFFLINE_QRCODE') {
      const answer = await this.call('alipay.trade.precreate', { notify_url: urls.notifyUrl }, biz);
      const codeUrl = answer.qr_code;
      if (typeof codeUrl !== 'string' || codeUrl === '') {
        throw new ChannelCallError('NO_QR_CODE', 'alipay.trade.precreate answered without qr_code', true);
      }
      return { action: 'qr', codeUrl };
    }
    if (attempt.channel === 'ALI_WEB') {
      const param = this.signedParams(
        'alipay.trade.page.pay',
        { notify_url: urls.notifyUrl, return_url: urls.returnUrl },
        { ...biz, product_code: 'FAST_INSTANT_TRADE_PAY' },
      );
      // The desktop cashier is an auto-submitted POST form, as Alipay's own pageExecute('POST') builds it.
      return { action: 'redirect', url: `${this.settings.gateway_url}?charset=utf-8`, method: 'POST', param };
    }
    if (attempt.channel === 'ALI_WAP') {
      const param = this.signedParams(
        'alipay.trade.wap.pay',
        { notify_url: urls.notifyUrl, return_url: urls.returnUrl },
        { ...biz, product_code: 'QUICK_WAP_WAY', quit_url: urls.quitUrl },
      );
      // The phone cashier is a signed GET (gateway.do?<params>): it survives a hop through an "open in browser"
      // guide page. The parameters stay in `param`: a GET form replaces the action's query string with its fields.
      return { action: 'redirect', url: this.settings.gateway_url, method: 'GET', param };
    }
    throw new ChannelCallError('CHANNEL_NOT_SUPPORTED', `Alipay does not serve ${attempt.channel}`, false);
  }

  /**
   * ALI_SCAN: alipay.trade.pay with scene bar_code (当面付条码支付). 10000 is paid; 10003 waits for the payer's
   * password (settled by alipay.trade.query or the notify); a 40004 is the payer's refusal (balance, invalid code).
   */
  async chargePaymentCode(
    attempt: ChannelAttempt,
    authCode: string,
    urls: ChannelUrls,
  ): Promise<PaymentCodeResult> {
    const answer = await this.call(
      'alipay.trade.pay',
      { notify_url: urls.notifyUrl },
      {
        out_trade_no: attempt.outTradeNo,
        scene: 'bar_code',
        auth_code: authCode,
        product_code: 'FACE_TO_FACE_PAYMENT',
        subject: attempt.title,
        total_amount: fenToYuan(attempt.totalFee),
        timeout_express: '5m',
      },
      'business',
    );
    const { sign: _unused, ...detail } = answer as Record<string, unknown>;
    if (answer.code === alipayCodes.paymentInProcess) return { status: 'waiting', detail };
    if (answer.code !== alipayCodes.success) {
      return {
        status: 'failed',
        reason: `${answer.sub_code ?? answer.code} ${answer.sub_msg ?? answer.msg}`,
        detail,
      };
    }
    const totalFee = yuanToFen(String(answer.total_amount ?? ''));
    if (totalFee === null) {
      throw new ChannelCallError(
        'BAD_AMOUNT',
        `total_amount "${String(answer.total_amount)}" is not a yuan amount`,
        false,
      );
    }
    return {
      status: 'paid',
      tradeNo: String(answer.trade_no ?? ''),
      totalFee,
      paidAt: parseBeijingTime(answer.gmt_payment as string | undefined) ?? this.now(),
      detail,
    };
  }

  /** REVERT: alipay.trade.cancel closes a waiting trade, or refunds and closes a paid one. */
  async cancelPayment(attempt: ChannelAttempt): Promise<CancelResult> {
    const answer = await this.call('alipay.trade.cancel', {}, { out_trade_no: attempt.outTradeNo }, [
      'ACQ.TRADE_NOT_EXIST',
    ]);
    const { sign: _unused, ...detail } = answer as Record<string, unknown>;
    if (answer.code !== alipayCodes.success) return { action: 'closed', detail };
    if (answer.retry_flag === 'Y') {
      throw new ChannelCallError('RETRY', 'alipay.trade.cancel asks to be called again', true);
    }
    return { action: answer.action === 'refund' ? 'refunded' : 'closed', detail };
  }

  async parseNotify(raw: RawChannelNotify): Promise<ChannelNotice> {
    const form = new URLSearchParams(raw.body);
    const params: Record<string, string> = {};
    for (const [key, value] of form) {
      if (key in params) throw new NotifyRejected(`parameter ${key} appears twice`);
      params[key] = value;
    }
    const sign = params.sign;
    if (!sign) throw new NotifyRejected('notify has no sign');
    if (params.sign_type !== undefined && params.sign_type !== 'RSA2') {
      throw new NotifyRejected(`sign_type ${params.sign_type} is not RSA2`);
    }
    if (params.charset !== undefined && params.charset.toLowerCase() !== 'utf-8') {
      throw new NotifyRejected(`charset ${params.charset} is not utf-8`);
    }
    const content = signContent(params, notifyUnsignedKeys);
    let verified = false;
    try {
      verified = this.sdk.rsaCheck(content, sign, 'RSA2');
    } catch {
      verified = false;
    }
    if (!verified) throw new NotifyRejected('notify signature does not verify with the Alipay public key');
    if (params.app_id !== this.settings.app_id) {
      throw new NotifyRejected(`notify is for app_id ${params.app_id ?? '(none)'}, not this app`);
    }
    if (this.settings.seller_id !== null && params.seller_id !== this.settings.seller_id) {
      throw new NotifyRejected(`notify is for seller_id ${params.seller_id ?? '(none)'}, not this merchant`);
    }
    const outTradeNo = params.out_trade_no;
    if (!outTradeNo) throw new NotifyRejected('notify has no out_trade_no');
    const detail: Record<string, unknown> = { ...params };
    delete detail.sign;

    // A refund makes Alipay send a trade_status_sync notify carrying out_biz_no (our out_request_no) and the
    // cumulative refund_fee; trade_status is TRADE_SUCCESS (partly refunded) or TRADE_CLOSED (fully refunded).
    // It is neither a new payment nor a failed one. Alipay's refunds are settled by the refund call's answer or a
    // refund query, so the notify is acknowledged and nothing else.
    if (params.out_biz_no || params.gmt_refund || params.refund_fee) {
      return { kind: 'ignored', reason: `refund notify for out_request_no ${params.out_biz_no ?? '(none)'}` };
    }
    switch (params.trade_status) {
      case 'TRADE_SUCCESS':
      case 'TRADE_FINISHED': {
        const totalFee = yuanToFen(params.total_amount ?? '');
        if (totalFee === null)
          throw new NotifyRejected(`total_amount "${params.total_amount ?? ''}" is not a yuan amount`);
        if (!params.trade_no) throw new NotifyRejected('notify has no trade_no');
        const paidAt =
          parseBeijingTime(params.gmt_payment) ?? parseBeijingTime(params.notify_time) ?? this.now();
        return { kind: 'payment', outTradeNo, tradeNo: params.trade_no, totalFee, paidAt, detail };
      }
      case 'TRADE_CLOSED':
        return { kind: 'payment_failed', outTradeNo, reason: 'TRADE_CLOSED', detail };
      case 'WAIT_BUYER_PAY':
        return { kind: 'ignored', reason: 'WAIT_BUYER_PAY' };
      default:
        throw new NotifyRejected(`unknown trade_status ${params.trade_status ?? '(none)'}`);
    }
  }

  notifyAnswer(accepted: boolean): NotifyAnswer {
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: accepted ? 'success' : 'fail' };
  }

  async queryPayment(attempt: ChannelAttempt): Promise<PaymentQueryResult> {
    const answer = await this.call('alipay.trade.query', {}, { out_trade_no: attempt.outTradeNo }, [
      'ACQ.TRADE_NOT_EXIST',
    ]);
    if (answer.code !== alipayCodes.success) return { status: 'not_found' };
    switch (answer.trade_status) {
      case 'WAIT_BUYER_PAY':
        return { status: 'open' };
      case 'TRADE_CLOSED':
        return { status: 'closed' };
      case 'TRADE_SUCCESS':
      case 'TRADE_FINISHED': {
        const totalFee = yuanToFen(String(answer.total_amount ?? ''));
        if (totalFee === null) {
          throw new ChannelCallError(
            'BAD_AMOUNT',
            `total_amount "${String(answer.total_amount)}" is not a yuan amount`,
            false,
          );
        }
        const { sign: _unused, ...detail } = answer as Record<string, unknown>;
        return {
          status: 'paid',
          tradeNo: String(answer.trade_no ?? ''),
          totalFee,
          paidAt: parseBeijingTime(answer.send_pay_date as string | undefined) ?? this.now(),
          detail,
        };
      }
      default:
        throw new ChannelCallError(
          'UNKNOWN_STATUS',
          `unknown trade_status ${String(answer.trade_status)}`,
          true,
        );
    }
  }

  async closePayment(attempt: ChannelAttempt): Promise<void> {
    const answer = await this.call('alipay.trade.close', {}, { out_trade_no: attempt.outTradeNo }, [
      'ACQ.TRADE_NOT_EXIST',
      'ACQ.TRADE_STATUS_ERROR',
    ]);
    if (answer.sub_code === 'ACQ.TRADE_STATUS_ERROR') {
      // Already closed is fine; already paid cannot be closed.
      const state = await this.queryPayment(attempt);
      if (state.status !== 'closed') {
        throw new ChannelCallError(
          'ACQ.TRADE_STATUS_ERROR',
          `payment cannot be closed: it is ${state.status}`,
          false,
        );
      }
    }
  }

  async refund(attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    const answer = await this.call(
      'alipay.trade.refund',
      {},
      {
        out_trade_no: attempt.outTradeNo,
        refund_amount: fenToYuan(refund.refundFee),
        out_request_no: refund.outRefundNo,
        refund_reason: refund.reason,
      },
      'business',
    );
    if (answer.code !== alipayCodes.success) {
      return {
        status: 'failed',
        reason: `${answer.sub_code ?? answer.code}: ${answer.sub_msg ?? answer.msg}`,
      };
    }
    if (answer.fund_change === 'Y') {
      return {
        status: 'success',
        channelRefundNo: refund.outRefundNo,
        refundFee: refund.refundFee,
        finishedAt: parseBeijingTime(answer.gmt_refund_pay as string | undefined) ?? this.now(),
      };
    }
    // fund_change N: a repeat of a refund already made, or one not done yet. Alipay's advice: ask the refund query.
    return this.queryRefund(attempt, refund);
  }

  async queryRefund(attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    const answer = await this.call(
      'alipay.trade.fastpay.refund.query',
      {},
      {
        out_trade_no: attempt.outTradeNo,
        out_request_no: refund.outRefundNo,
        query_options: ['gmt_refund_pay'],
      },
      ['ACQ.TRADE_NOT_EXIST'],
    );
    if (answer.code !== alipayCodes.success)
      return { status: 'failed', reason: `${answer.sub_code}: ${answer.sub_msg ?? answer.msg}` };
    // Alipay: a refund that exists is answered with its out_request_no and refund_amount; refund_status is
    // REFUND_SUCCESS or absent when it succeeded. No data: not refunded (yet); the same out_request_no may be sent again.
    if (!answer.out_request_no || answer.refund_amount === undefined)
      return { status: 'processing', channelRefundNo: null };
    if (answer.refund_status !== undefined && answer.refund_status !== 'REFUND_SUCCESS') {
      return { status: 'processing', channelRefundNo: String(answer.out_request_no) };
    }
    const refundFee = yuanToFen(String(answer.refund_amount));
    if (refundFee === null) {
      throw new ChannelCallError(
        'BAD_AMOUNT',
        `refund_amount "${String(answer.refund_amount)}" is not a yuan amount`,
        false,
      );
    }
    return {
      status: 'success',
      channelRefundNo: String(answer.out_request_no),
      refundFee,
      finishedAt: parseBeijingTime(answer.gmt_refund_pay as string | undefined) ?? this.now(),
    };
  }

  /**
   * alipay.fund.trans.uni.transfer (单笔转账到支付宝账户, product TRANS_ACCOUNT_NO_PWD, scene DIRECT_TRANSFER): the
   * payee by logon id; idempotent by out_biz_no. A business refusal (payee unknown, balance short …) is a FAIL.
   */
  async transfer(request: ChannelTransferRequest): Promise<ChannelTransferResult> {
    const answer = await this.call(
      'alipay.fund.trans.uni.transfer',
      {},
      {
        out_biz_no: request.outBizNo,
        trans_amount: fenToYuan(request.totalFee),
        product_code: 'TRANS_ACCOUNT_NO_PWD',
        biz_scene: 'DIRECT_TRANSFER',
        order_title: request.title,
        payee_info: {
          identity: request.payeeAccount,
          identity_type: 'ALIPAY_LOGON_ID',
          ...(request.payeeName !== null ? { name: request.payeeName } : {}),
        },
      },
      'business',
    );
    const detail = { ...answer };
    if (answer.code !== alipayCodes.success) {
      return {
        status: 'FAIL',
        reason: `${answer.sub_code ?? answer.code}: ${answer.sub_msg ?? answer.msg}`,
        detail,
      };
    }
    if (answer.status !== 'SUCCESS' || typeof answer.order_id !== 'string') {
      throw new ChannelCallError(
        'BAD_ANSWER',
        `alipay.fund.trans.uni.transfer: status ${String(answer.status)}`,
        true,
      );
    }
    return { status: 'SUCCESS', channelTransferNo: answer.order_id, detail };
  }

  /**
   * One OpenAPI call: signed parameters posted as a form to gateway.do, the answer's signature checked against the
   * raw text. `accepted` lists business-failure sub-codes the caller handles itself ('business': every 40004);
   * anything else that is not 10000 is thrown as a ChannelCallError.
   */
  private async call(
    method: string,
    extra: Record<string, string | null>,
    biz: Record<string, unknown>,
    accepted: readonly string[] | 'business' = [],
  ): Promise<AlipayAnswer> {
    const params = this.signedParams(method, extra, biz);
    let response;
    try {
      response = await this.http({
        url: `${this.settings.gateway_url}?charset=utf-8`,
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded;charset=utf-8',
          accept: 'application/json',
        },
        body: new URLSearchParams(params).toString(),
        timeoutMs: defaultTimeoutMs,
      });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const timeout = isOutboundTimeout(error);
      throw new ChannelCallError(timeout ? 'TIMEOUT' : 'NETWORK', `${method}: ${message}`, true);
    }
    if (response.status >= 500)
      throw new ChannelCallError('NETWORK', `${method}: HTTP ${response.status}`, true);
    if (response.status !== 200)
      throw new ChannelCallError('NETWORK', `${method}: HTTP ${response.status}`, false);
    const answer = this.verifiedAnswer(method, response.body);
    if (answer.code === alipayCodes.success) return answer;
    if (answer.code === alipayCodes.paymentInProcess && method === 'alipay.trade.pay') return answer;
    const subCode = answer.sub_code ?? answer.code;
    const retryable = answer.code === alipayCodes.serviceUnavailable || retryableSubCodes.has(subCode);
    if (
      !retryable &&
      answer.code === alipayCodes.businessFailed &&
      (accepted === 'business' || accepted.includes(subCode))
    ) {
      return answer;
    }
    throw new ChannelCallError(
      subCode,
      `${method}: ${answer.code} ${answer.msg}${answer.sub_msg ? ` (${answer.sub_msg})` : ''}`,
      retryable,
    );
  }

  /** Parses `{"<method>_response": {...}, "sign": "..."}` and checks the signature over the raw object text. */
  private verifiedAnswer(method: string, raw: string): AlipayAnswer {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new ChannelCallError('BAD_ANSWER', `${method}: answer is not JSON`, true);
    }
    const key = responseKeyFor(method);
    const responseKey = key in parsed ? key : 'error_response';
    const answer = parsed[responseKey] as AlipayAnswer | undefined;
    if (!answer || typeof answer !== 'object' || typeof answer.code !== 'string') {
      throw new ChannelCallError('BAD_ANSWER', `${method}: answer has no ${key}`, true);
    }
    const sign = parsed.sign;
    if (typeof sign === 'string' && sign !== '') {
      try {
        this.sdk.checkResponseSign(raw, responseKey, sign, '');
      } catch {
        throw new ChannelCallError('BAD_SIGNATURE', `${method}: answer signature does not verify`, false);
      }
      if (
        this.settings.mode === 'cert' &&
        parsed.alipay_cert_sn !== undefined &&
        parsed.alipay_cert_sn !== this.settings.alipay_cert_sn
      ) {
        throw new ChannelCallError(
          'ALIPAY_CERT_CHANGED',
          `${method}: answer signed with Alipay certificate ${String(parsed.alipay_cert_sn)}; update alipay_public_cert`,
          false,
        );
      }
    } else if (answer.code === alipayCodes.success || answer.code === alipayCodes.paymentInProcess) {
      // Alipay leaves only some errors (bad signature, unknown app) unsigned; a success must be signed.
      throw new ChannelCallError('BAD_SIGNATURE', `${method}: answer is not signed`, false);
    }
    return answer;
  }
}

function withoutEmpty(biz: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(biz).filter(([, value]) => value !== null && value !== undefined && value !== ''),
  );
}
