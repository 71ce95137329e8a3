/**
 * The WeChat Pay API v3 adapter: Native (QR), JSAPI (inside WeChat) and H5 payments, query, close, refunds and
 * their notifies. Every request is signed (WECHATPAY2-SHA256-RSA2048), every answer and notify verified with the
 * platform certificate or WeChat Pay public key its `Wechatpay-Serial` names; notify resources are decrypted with
 * the APIv3 key. Amounts are integer fen on the wire, as in the gateway.
 */
import type { KeyObject } from 'node:crypto';
import {
  ChannelCallError,
  NotifyRejected,
  type ChannelAdapter,
  type ChannelAttempt,
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
import {
  decryptResource,
  jsapiPayMessage,
  newNonce,
  signRequest,
  signSha256Rsa,
  signedHeaders,
  verifySigned,
  type EncryptedResource,
  type WechatpayVerifier,
} from './wechatpay-crypto.ts';
import { exchangeOauthCode, oauthAuthorizeUrl } from './wechat-oauth.ts';
import { wechatpayKeys, type WechatpaySettings } from './wechatpay-settings.ts';

const defaultTimeoutMs = 10_000;
/** WeChat codes for which asking again later may succeed. */
const retryableCodes = new Set([
  'SYSTEM_ERROR',
  'SYSTEMERROR',
  'FREQUENCY_LIMITED',
  'BANK_ERROR',
  'NOT_ENOUGH',
]);

/** A time as WeChat writes it: RFC 3339 in Beijing time, `2026-12-02T22:06:33+08:00`. */
export function beijingRfc3339(ms: number): string {
  return `${new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19)}+08:00`;
}

/** A WeChat time (RFC 3339 with offset) as ms since the epoch; throws on anything else. */
export function parseWechatTime(text: unknown, field: string): number {
  const ms =
    typeof text === 'string' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$/.test(text)
      ? Date.parse(text)
      : NaN;
  if (Number.isNaN(ms)) throw new Error(`${field} is not an RFC 3339 time: ${String(text)}`);
  return ms;
}

/** An amount in fen as WeChat sends it: a non-negative integer, nothing else. */
export function fenAmount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`${field} is not an amount in fen: ${JSON.stringify(value)}`);
  }
  return value;
}

interface CallAnswer {
  status: number;
  body: Record<string, unknown>;
}

type Json = Record<string, unknown>;

/** From 2,000.00 yuan WeChat requires the receiver's real name, encrypted with its key (商家转账到零钱). */
const wechatTransferNameThresholdFen = 200_000;

function object(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

export class WechatpayAdapter implements ChannelAdapter {
  readonly family = 'WX' as const;
  private readonly merchantKey: KeyObject;
  private readonly verifier: WechatpayVerifier;
  private readonly apiv3Key: Buffer;

  constructor(
    private readonly settings: WechatpaySettings,
    private readonly http: OutboundHttp,
    private readonly now: () => number = Date.now,
  ) {
    const keys = wechatpayKeys(settings);
    this.merchantKey = keys.merchantPrivateKey;
    this.verifier = { platformKeys: keys.platformKeys, publicKey: keys.publicKey };
    this.apiv3Key = keys.apiv3Key;
  }

  async createPayment(attempt: ChannelAttempt, urls: ChannelUrls): Promise<PaymentStart> {
    const order: Json = {
      appid: this.settings.appid,
      mchid: this.settings.mchid,
      description: attempt.title.slice(0, 127),
      out_trade_no: attempt.outTradeNo,
      notify_url: urls.notifyUrl,
      amount: { total: attempt.totalFee, currency: 'CNY' },
    };
    if (attempt.expiresAt !== null) order.time_expire = beijingRfc3339(attempt.expiresAt);

    switch (attempt.channel) {
      case 'WX_NATIVE': {
        const answer = await this.call('POST', '/v3/pay/transactions/native', order);
        const codeUrl = text(answer.body.code_url);
        if (!codeUrl)
          throw new ChannelCallError('BAD_ANSWER', 'the native order answer has no code_url', true);
        return { action: 'qr', codeUrl };
      }
      case 'WX_JSAPI': {
        if (!attempt.openid) {
          throw new ChannelCallError('PARAM_ERROR', 'WX_JSAPI needs the payer’s openid', false);
        }
        const answer = await this.call('POST', '/v3/pay/transactions/jsapi', {
          ...order,
          payer: { openid: attempt.openid },
        });
        const prepayId = text(answer.body.prepay_id);
        if (!prepayId)
          throw new ChannelCallError('BAD_ANSWER', 'the jsapi order answer has no prepay_id', true);
        return { action: 'jsapi', params: this.jsapiParams(prepayId) };
      }
      case 'WX_WAP': {
        if (!attempt.payerIp) {
          throw new ChannelCallError(
            'PARAM_ERROR',
            'WX_WAP needs the payer’s IP (scene_info.payer_client_ip)',
            false,
          );
        }
        const answer = await this.call('POST', '/v3/pay/transactions/h5', {
          ...order,
          scene_info: { payer_client_ip: attempt.payerIp, h5_info: { type: 'Wap' } },
        });
        const h5Url = text(answer.body.h5_url);
        if (!h5Url) throw new ChannelCallError('BAD_ANSWER', 'the h5 order answer has no h5_url', true);
        // The widget takes the payer there with a GET form, which replaces the action URL's query: the h5_url's
        // own parameters travel as fields, followed by redirect_url (where WeChat sends the payer afterwards).
        let target: URL;
        try {
          target = new URL(h5Url);
        } catch {
          throw new ChannelCallError('BAD_ANSWER', 'the h5_url is not a URL', true);
        }
        const param: Record<string, string> = Object.fromEntries(target.searchParams);
        param.redirect_url = urls.returnUrl;
        return { action: 'redirect', url: `${target.origin}${target.pathname}`, method: 'GET', param };
      }
      default:
        throw new ChannelCallError('PARAM_ERROR', `WeChat Pay does not serve ${attempt.channel}`, false);
    }
  }

  /** WeChat OAuth (snsapi_base) for a JSAPI payer's openid: where to send the payer inside WeChat. */
  oauthAuthorizeUrl(callbackUrl: string, state: string): string {
    return oauthAuthorizeUrl(this.settings, callbackUrl, state);
  }

  /** The payer's openid for the `code` WeChat OAuth sent back (needs the app_secret setting). */
  oauthOpenid(code: string): Promise<string> {
    return exchangeOauthCode(this.settings, code, this.http);
  }

  /** The getBrandWCPayRequest parameters for a prepay_id, signed with the merchant key (signType RSA). */
  jsapiParams(prepayId: string) {
    const timeStamp = String(Math.floor(this.now() / 1000));
    const nonceStr = newNonce();
    const pkg = `prepay_id=${prepayId}`;
    const paySign = signSha256Rsa(
      jsapiPayMessage(this.settings.appid, timeStamp, nonceStr, pkg),
      this.merchantKey,
    );
    return {
      appId: this.settings.appid,
      timeStamp,
      nonceStr,
      package: pkg,
      signType: 'RSA' as const,
      paySign,
    };
  }

  async parseNotify(raw: RawChannelNotify): Promise<ChannelNotice> {
    const signed = signedHeaders(raw.headers);
    if (!signed)
      throw new NotifyRejected('the notify lacks the Wechatpay-Timestamp/Nonce/Signature/Serial headers');
    const problem = verifySigned(this.verifier, signed, raw.body, Math.floor(this.now() / 1000));
    if (problem) throw new NotifyRejected(problem);

    let envelope: Json;
    try {
      envelope = object(JSON.parse(raw.body));
    } catch {
      throw new NotifyRejected('the notify body is not JSON');
    }
    const eventType = text(envelope.event_type);
    const resource = object(envelope.resource);
    let plain: Json;
    try {
      plain = object(
        JSON.parse(
          decryptResource(
            {
              algorithm: text(resource.algorithm),
              ciphertext: text(resource.ciphertext),
              associated_data: text(resource.associated_data),
              nonce: text(resource.nonce),
            } satisfies EncryptedResource,
            this.apiv3Key,
          ),
        ),
      );
    } catch (error) {
      throw new NotifyRejected(`the notify resource does not decrypt: ${(error as Error).message}`);
    }
    if (text(plain.mchid) !== this.settings.mchid) {
      throw new NotifyRejected(`the notify is for mchid ${text(plain.mchid)}, not this app’s`);
    }

    try {
      if (eventType === 'TRANSACTION.SUCCESS') {
        if (text(plain.appid) !== this.settings.appid) {
          throw new NotifyRejected(`the notify is for appid ${text(plain.appid)}, not this app’s`);
        }
        if (plain.trade_state !== 'SUCCESS') {
          return {
            kind: 'ignored',
            reason: `TRANSACTION.SUCCESS with trade_state ${text(plain.trade_state)}`,
          };
        }
        return {
          kind: 'payment',
          outTradeNo: text(plain.out_trade_no),
          tradeNo: text(plain.transaction_id),
          totalFee: fenAmount(object(plain.amount).total, 'amount.total'),
          paidAt: parseWechatTime(plain.success_time, 'success_time'),
          detail: plain,
        };
      }
      if (
        eventType === 'REFUND.SUCCESS' ||
        eventType === 'REFUND.ABNORMAL' ||
        eventType === 'REFUND.CLOSED'
      ) {
        return {
          kind: 'refund',
          outRefundNo: text(plain.out_refund_no),
          outTradeNo: text(plain.out_trade_no),
          result: this.refundResult(plain, text(plain.refund_status)),
          detail: plain,
        };
      }
    } catch (error) {
      if (error instanceof NotifyRejected) throw error;
      throw new NotifyRejected(`the notify resource is malformed: ${(error as Error).message}`);
    }
    return { kind: 'ignored', reason: `event_type ${eventType} is not acted on` };
  }

  notifyAnswer(accepted: boolean): NotifyAnswer {
    if (accepted) return { status: 204, contentType: 'text/plain', body: '' };
    return {
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({ code: 'FAIL', message: 'the notify did not verify' }),
    };
  }

  async queryPayment(attempt: ChannelAttempt): Promise<PaymentQueryResult> {
    let answer: CallAnswer;
    try {
      answer = await this.call(
        'GET',
        `/v3/pay/transactions/out-trade-no/${encodeURIComponent(attempt.outTradeNo)}?mchid=${encodeURIComponent(this.settings.mchid)}`,
      );
    } catch (error) {
      if (error instanceof ChannelCallError && error.code === 'ORDER_NOT_EXIST')
        return { status: 'not_found' };
      throw error;
    }
    const body = answer.body;
    if (text(body.out_trade_no) !== attempt.outTradeNo || text(body.mchid) !== this.settings.mchid) {
      throw new ChannelCallError('BAD_ANSWER', 'the query answer is for another order or merchant', false);
    }
    const state = text(body.trade_state);
    try {
      // REFUND: paid, then (partly) refunded; the payment happened.
      if (state === 'SUCCESS' || state === 'REFUND') {
        return {
          status: 'paid',
          tradeNo: text(body.transaction_id),
          totalFee: fenAmount(object(body.amount).total, 'amount.total'),
          paidAt: parseWechatTime(body.success_time, 'success_time'),
          detail: body,
        };
      }
    } catch (error) {
      throw new ChannelCallError('BAD_ANSWER', (error as Error).message, false);
    }
    if (state === 'NOTPAY' || state === 'USERPAYING') return { status: 'open' };
    if (state === 'CLOSED' || state === 'REVOKED' || state === 'PAYERROR') return { status: 'closed' };
    throw new ChannelCallError('BAD_ANSWER', `unknown trade_state ${state}`, false);
  }

  async closePayment(attempt: ChannelAttempt): Promise<void> {
    try {
      await this.call(
        'POST',
        `/v3/pay/transactions/out-trade-no/${encodeURIComponent(attempt.outTradeNo)}/close`,
        {
          mchid: this.settings.mchid,
        },
      );
    } catch (error) {
      if (error instanceof ChannelCallError && error.code === 'ORDER_NOT_EXIST') return;
      throw error;
    }
  }

  async refund(
    attempt: ChannelAttempt,
    refund: ChannelRefundRequest,
    urls: ChannelUrls,
  ): Promise<RefundResult> {
    const body: Json = {
      out_trade_no: attempt.outTradeNo,
      out_refund_no: refund.outRefundNo,
      notify_url: urls.notifyUrl,
      amount: { refund: refund.refundFee, total: attempt.totalFee, currency: 'CNY' },
    };
    if (refund.reason) body.reason = refund.reason.slice(0, 80);
    const answer = await this.call('POST', '/v3/refund/domestic/refunds', body);
    return this.refundAnswer(answer.body, refund);
  }

  async queryRefund(_attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    const answer = await this.call(
      'GET',
      `/v3/refund/domestic/refunds/${encodeURIComponent(refund.outRefundNo)}`,
    );
    return this.refundAnswer(answer.body, refund);
  }

  private refundAnswer(body: Json, refund: ChannelRefundRequest): RefundResult {
    if (text(body.out_refund_no) !== refund.outRefundNo) {
      throw new ChannelCallError('BAD_ANSWER', 'the refund answer is for another refund', false);
    }
    try {
      return this.refundResult(body, text(body.status));
    } catch (error) {
      throw new ChannelCallError('BAD_ANSWER', (error as Error).message, false);
    }
  }

  /** A refund's state (API `status`, notify `refund_status`) as the contract's RefundResult. */
  private refundResult(body: Json, status: string): RefundResult {
    const refundId = text(body.refund_id);
    switch (status) {
      case 'SUCCESS':
        return {
          status: 'success',
          channelRefundNo: refundId,
          refundFee: fenAmount(object(body.amount).refund, 'amount.refund'),
          finishedAt: parseWechatTime(body.success_time, 'success_time'),
        };
      case 'PROCESSING':
        return { status: 'processing', channelRefundNo: refundId || null };
      case 'CLOSED':
        return { status: 'failed', reason: 'CLOSED: WeChat Pay closed the refund' };
      case 'ABNORMAL':
        return {
          status: 'failed',
          reason:
            'ABNORMAL: the refund could not reach the payer’s account (handle it in the merchant platform)',
        };
      default:
        throw new Error(`unknown refund status ${status}`);
    }
  }

  /**
   * WX_TRANSFER through 商家转账到零钱 (APIv3 `POST /v3/transfer/batches`): one batch of one detail, both numbered
   * with the transfer_no (WeChat keeps a batch number once, so a resend never pays twice), to the payer's openid
   * under the settings' appid. WeChat settles a batch asynchronously: the adapter reads the detail first
   * (`GET …/out-batch-no/{no}/details/out-detail-no/{no}`) and only creates the batch when WeChat has none, so the
   * same request sent again reads the state. SUCCESS / FAIL are final; any other state (INIT, WAIT_PAY,
   * PROCESSING) throws a retryable ChannelCallError and the transfer stays PROCESSING. A creation WeChat refuses
   * (4xx: PARAM_ERROR, NOT_ENOUGH, NO_AUTH …) created nothing and is a FAIL. The receiver's real name
   * (`user_name`, required by WeChat from 2,000 yuan) must be encrypted with WeChat's key: spay does not send it, so
   * such amounts are refused before any call.
   */
  async transfer(request: ChannelTransferRequest): Promise<ChannelTransferResult> {
    const no = request.outBizNo;
    if (request.totalFee >= wechatTransferNameThresholdFen) {
      return {
        status: 'FAIL',
        reason:
          'WeChat Pay needs the receiver’s encrypted real name from 2,000.00 yuan; spay transfers less only',
        detail: {},
      };
    }
    let detail = await this.transferDetail(no);
    if (detail === undefined) {
      try {
        await this.call('POST', '/v3/transfer/batches', {
          appid: this.settings.appid,
          out_batch_no: no,
          batch_name: request.title.slice(0, 32),
          batch_remark: request.title.slice(0, 32),
          total_amount: request.totalFee,
          total_num: 1,
          transfer_detail_list: [
            {
              out_detail_no: no,
              transfer_amount: request.totalFee,
              transfer_remark: request.title.slice(0, 32),
              openid: request.payeeAccount,
            },
          ],
        });
      } catch (error) {
        if (error instanceof ChannelCallError && !error.retryable) {
          return { status: 'FAIL', reason: `${error.code}: ${error.message}`, detail: { code: error.code } };
        }
        throw error;
      }
      detail = await this.transferDetail(no);
      if (detail === undefined) {
        throw new ChannelCallError(
          'PROCESSING',
          'WeChat Pay has no detail for the batch it accepted yet',
          true,
        );
      }
    }
    const status = text(detail.detail_status);
    if (status === 'SUCCESS') return { status: 'SUCCESS', channelTransferNo: text(detail.detail_id), detail };
    if (status === 'FAIL') {
      return {
        status: 'FAIL',
        reason: `FAIL: ${text(detail.fail_reason) || 'WeChat Pay refused the transfer'}`,
        detail,
      };
    }
    throw new ChannelCallError('PROCESSING', `WeChat Pay has not settled the transfer yet (${status})`, true);
  }

  /** The transfer's detail at WeChat Pay, undefined when WeChat has no such batch (NOT_FOUND). */
  private async transferDetail(no: string): Promise<Json | undefined> {
    try {
      const answer = await this.call(
        'GET',
        `/v3/transfer/batches/out-batch-no/${encodeURIComponent(no)}/details/out-detail-no/${encodeURIComponent(no)}`,
      );
      return answer.body;
    } catch (error) {
      if (
        error instanceof ChannelCallError &&
        (error.code === 'NOT_FOUND' || error.code === 'RESOURCE_NOT_EXISTS')
      ) {
        return undefined;
      }
      throw error;
    }
  }

  /** One signed API call; the answer's signature is verified before anything in it is used. */
  private async call(method: 'GET' | 'POST', pathWithQuery: string, body?: Json): Promise<CallAnswer> {
    const url = `${this.settings.api_base_url}${pathWithQuery}`;
    const parsed = new URL(url);
    const signedPath = `${parsed.pathname}${parsed.search}`;
    const payload = body === undefined ? '' : JSON.stringify(body);
    const authorization = signRequest(
      { method, pathWithQuery: signedPath, body: payload },
      {
        mchid: this.settings.mchid,
        serialNo: this.settings.merchant_serial_no,
        privateKey: this.merchantKey,
      },
      Math.floor(this.now() / 1000),
    );
    const headers: Record<string, string> = {
      authorization,
      accept: 'application/json',
      'user-agent': 'spay-wechatpay/1 (node)',
    };
    if (body !== undefined) headers['content-type'] = 'application/json';

    let response;
    try {
      response = await this.http({
        url,
        method,
        headers,
        ...(body === undefined ? {} : { body: payload }),
        timeoutMs: defaultTimeoutMs,
      });
    } catch (error) {
      const err = error as { name?: string; code?: string; message?: string };
      const timedOut = isOutboundTimeout(error);
      throw new ChannelCallError(
        timedOut ? 'TIMEOUT' : 'NETWORK',
        `WeChat Pay ${method} ${parsed.pathname}: ${timedOut ? 'no answer in time' : 'network error'}`,
        true,
      );
    }

    const signed = signedHeaders(response.headers);
    if (response.status >= 500 && !signed) {
      throw new ChannelCallError('SYSTEM_ERROR', `WeChat Pay answered HTTP ${response.status}`, true);
    }
    if (!signed) {
      throw new ChannelCallError(
        'BAD_SIGNATURE',
        `the answer (HTTP ${response.status}) is not signed`,
        false,
      );
    }
    const problem = verifySigned(this.verifier, signed, response.body, Math.floor(this.now() / 1000));
    if (problem) throw new ChannelCallError('BAD_SIGNATURE', `the answer does not verify: ${problem}`, false);

    let answer: Json = {};
    if (response.body !== '') {
      try {
        answer = object(JSON.parse(response.body));
      } catch {
        throw new ChannelCallError('BAD_ANSWER', `the answer (HTTP ${response.status}) is not JSON`, true);
      }
    }
    if (response.status >= 200 && response.status < 300) return { status: response.status, body: answer };
    const code = text(answer.code) || `HTTP_${response.status}`;
    const message = text(answer.message) || `HTTP ${response.status}`;
    throw new ChannelCallError(
      code,
      `WeChat Pay: ${message}`,
      response.status >= 500 || retryableCodes.has(code),
    );
  }
}
