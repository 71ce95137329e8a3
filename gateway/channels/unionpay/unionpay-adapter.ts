/**
 * UnionPay online gateway payments (ACP 5.1.0, 网关支付): UN_WEB (channelType 07) and UN_WAP (08) send the payer's
 * browser to `frontTransReq.do` with a signed form; UnionPay tells the result by a back notify to `backUrl` (and by
 * `queryTrans.do`); refunds go to `backTransReq.do` and finish by notify or query.
 *
 * Every message UnionPay sends carries the certificate it was signed with (`signPubKeyCert`): it is trusted only if
 * the configured middle certificate issued it, the configured root issued the middle, it is within its dates and
 * its CN names UnionPay (see acp-certificates.ts).
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import {
  ChannelCallError,
  NotifyRejected,
  type ChannelAdapter,
  type ChannelAttempt,
  type ChannelNotice,
  type ChannelRefundRequest,
  type ChannelUrls,
  type NotifyAnswer,
  type OutboundHttp,
  type PaymentQueryResult,
  type PaymentStart,
  type RawChannelNotify,
  type RefundResult,
  isOutboundTimeout,
} from '../channel.ts';
import { checkSignerCertificate, type TrustAnchors } from './acp-certificates.ts';
import {
  acpSign,
  acpVerify,
  chinaTimestamp,
  encodeForm,
  fenToTxnAmt,
  parseAcpAnswer,
  txnAmtToFen,
  type AcpFields,
} from './acp-signature.ts';
import type { UnionpaySettings } from './unionpay-settings.ts';

export const frontTransPath = '/gateway/api/frontTransReq.do';
export const backTransPath = '/gateway/api/backTransReq.do';
export const queryTransPath = '/gateway/api/queryTrans.do';

const channelTypes = { UN_WEB: '07', UN_WAP: '08' } as const;

/** respCodes meaning "not finished yet, ask again later" (03 timeout, 04 state unknown, 05 accepted). */
const pendingCodes = new Set(['03', '04', '05']);
/** respCodes worth retrying the call for (06 system busy, 37 too many queries). */
const busyCodes = new Set(['06', '37']);

const defaultTimeoutMs = 10_000;

/** `traceTime` is `MMddHHmmss` in China time without a year: the latest such instant not after `now` (+1 day of slack). */
export function traceTimeToMs(traceTime: string | undefined, now: number): number {
  if (!traceTime || !/^\d{10}$/.test(traceTime)) return now;
  const chinaNow = chinaTimestamp(now);
  let year = Number(chinaNow.slice(0, 4));
  const toMs = (y: number) => {
    const month = Number(traceTime.slice(0, 2));
    const day = Number(traceTime.slice(2, 4));
    const ms = Date.UTC(
      y,
      month - 1,
      day,
      Number(traceTime.slice(4, 6)),
      Number(traceTime.slice(6, 8)),
      Number(traceTime.slice(8, 10)),
    );
    return ms - 8 * 60 * 60 * 1000;
  };
  let ms = toMs(year);
  if (ms > now + 24 * 60 * 60 * 1000) ms = toMs(--year);
  return Number.isFinite(ms) ? ms : now;
}

export class UnionpayAdapter implements ChannelAdapter {
  readonly family = 'UN' as const;
  private readonly privateKey: KeyObject;
  private readonly anchors: TrustAnchors;
  private readonly now: () => number;

  constructor(
    private readonly settings: UnionpaySettings,
    private readonly http: OutboundHttp,
    now?: () => number,
  ) {
    this.privateKey = createPrivateKey(settings.private_key);
    this.anchors = {
      root: new X509Certificate(settings.root_certificate),
      middle: new X509Certificate(settings.middle_certificate),
      expectedSignerIdentity: settings.expected_signer_cn,
    };
    this.now = now ?? Date.now;
  }

  private common(): AcpFields {
    return {
      version: '5.1.0',
      encoding: 'UTF-8',
      signMethod: '01',
      certId: this.settings.cert_id,
      accessType: '0',
      merId: this.settings.mer_id,
    };
  }

  private signed(fields: AcpFields): AcpFields {
    const clean: AcpFields = {};
    for (const [key, value] of Object.entries(fields)) if (value !== '') clean[key] = value;
    return { ...clean, signature: acpSign(clean, this.privateKey) };
  }

  /** Verifies a message UnionPay signed; the reason when it does not verify. */
  private verifyMessage(fields: AcpFields): string | null {
    if (fields.signMethod !== undefined && fields.signMethod !== '01')
      return `signMethod ${fields.signMethod} is not supported`;
    const signer = checkSignerCertificate(fields.signPubKeyCert, this.anchors, this.now());
    if (!signer.ok) return signer.reason;
    if (!acpVerify(fields, signer.publicKey)) return 'the signature does not verify with signPubKeyCert';
    return null;
  }

  private channelType(attempt: ChannelAttempt): string {
    const type = channelTypes[attempt.channel as keyof typeof channelTypes];
    if (!type)
      throw new ChannelCallError('UNSUPPORTED_CHANNEL', `UnionPay does not serve ${attempt.channel}`, false);
    return type;
  }

  async createPayment(attempt: ChannelAttempt, urls: ChannelUrls): Promise<PaymentStart> {
    const fields: AcpFields = {
      ...this.common(),
      txnType: '01',
      txnSubType: '01',
      bizType: '000201',
      channelType: this.channelType(attempt),
      currencyCode: '156',
      orderId: attempt.outTradeNo,
      txnTime: chinaTimestamp(attempt.createTime),
      txnAmt: fenToTxnAmt(attempt.totalFee),
      frontUrl: urls.returnUrl,
      backUrl: urls.notifyUrl,
    };
    if (attempt.expiresAt !== null && attempt.expiresAt > attempt.createTime) {
      fields.payTimeout = chinaTimestamp(attempt.expiresAt);
    }
    return {
      action: 'redirect',
      url: `${this.settings.front_url}${frontTransPath}`,
      method: 'POST',
      param: this.signed(fields),
    };
  }

  async parseNotify(raw: RawChannelNotify): Promise<ChannelNotice> {
    const fields: AcpFields = Object.fromEntries(new URLSearchParams(raw.body));
    const problem = this.verifyMessage(fields);
    if (problem) throw new NotifyRejected(problem);
    if (fields.merId !== this.settings.mer_id)
      throw new NotifyRejected(`merId ${fields.merId ?? '(none)'} is not this app's`);
    if (fields.currencyCode !== undefined && fields.currencyCode !== '156') {
      throw new NotifyRejected(`currencyCode ${fields.currencyCode} is not CNY (156)`);
    }
    const detail: Record<string, unknown> = { ...fields };
    delete detail.signPubKeyCert;
    delete detail.signature;
    const succeeded = fields.respCode === '00';
    if (fields.txnType === '01') {
      if (!fields.orderId) throw new NotifyRejected('orderId is missing');
      if (!succeeded) {
        return {
          kind: 'payment_failed',
          outTradeNo: fields.orderId,
          reason: `${fields.respCode} ${fields.respMsg ?? ''}`.trim(),
          detail,
        };
      }
      const totalFee = txnAmtToFen(fields.txnAmt);
      if (totalFee === null) throw new NotifyRejected('txnAmt is not an amount in fen');
      if (!fields.queryId) throw new NotifyRejected('queryId is missing');
      return {
        kind: 'payment',
        outTradeNo: fields.orderId,
        tradeNo: fields.queryId,
        totalFee,
        paidAt: traceTimeToMs(fields.traceTime, this.now()),
        detail,
      };
    }
    if (fields.txnType === '04') {
      if (!fields.orderId || !fields.reqReserved)
        throw new NotifyRejected('a refund notify needs orderId and reqReserved');
      if (!succeeded) {
        return {
          kind: 'refund',
          outRefundNo: fields.orderId,
          outTradeNo: fields.reqReserved,
          result: { status: 'failed', reason: `${fields.respCode} ${fields.respMsg ?? ''}`.trim() },
          detail,
        };
      }
      const refundFee = txnAmtToFen(fields.txnAmt);
      if (refundFee === null) throw new NotifyRejected('txnAmt is not an amount in fen');
      return {
        kind: 'refund',
        outRefundNo: fields.orderId,
        outTradeNo: fields.reqReserved,
        result: {
          status: 'success',
          channelRefundNo: fields.queryId ?? '',
          refundFee,
          finishedAt: traceTimeToMs(fields.traceTime, this.now()),
        },
        detail,
      };
    }
    return { kind: 'ignored', reason: `txnType ${fields.txnType ?? '(none)'} is not acted on` };
  }

  notifyAnswer(accepted: boolean): NotifyAnswer {
    // UnionPay stops resending on HTTP 200; anything else is resent.
    return accepted
      ? { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok' }
      : { status: 400, contentType: 'text/plain; charset=utf-8', body: 'rejected' };
  }

  /** A back-end call: signed form POST, answer `k=v&…` verified when UnionPay signed it. */
  private async call(path: string, fields: AcpFields): Promise<AcpFields> {
    let response;
    try {
      response = await this.http({
        url: `${this.settings.back_url}${path}`,
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
        body: encodeForm(this.signed(fields)),
        timeoutMs: defaultTimeoutMs,
      });
    } catch (error) {
      const timedOut = isOutboundTimeout(error);
      throw new ChannelCallError(
        timedOut ? 'TIMEOUT' : 'NETWORK',
        `UnionPay ${path} could not be reached`,
        true,
      );
    }
    if (response.status !== 200) {
      throw new ChannelCallError(
        `HTTP_${response.status}`,
        `UnionPay ${path} answered HTTP ${response.status}`,
        response.status >= 500,
      );
    }
    const answer = parseAcpAnswer(response.body);
    if (!answer.respCode)
      throw new ChannelCallError('BAD_ANSWER', `UnionPay ${path} answered without respCode`, true);
    // UnionPay signs its answers; an answer to a request it could not read (format, signature) may come unsigned,
    // and then is believed only as a failure.
    if (answer.signature || answer.respCode === '00') {
      const problem = this.verifyMessage(answer);
      if (problem) throw new ChannelCallError('BAD_SIGNATURE', `UnionPay ${path} answer: ${problem}`, false);
      if (answer.merId !== undefined && answer.merId !== this.settings.mer_id) {
        throw new ChannelCallError('BAD_ANSWER', `UnionPay ${path} answered for another merId`, false);
      }
    }
    return answer;
  }

  private callError(answer: AcpFields, what: string): ChannelCallError {
    return new ChannelCallError(
      answer.respCode,
      `UnionPay ${what}: ${answer.respCode} ${answer.respMsg ?? ''}`.trim(),
      busyCodes.has(answer.respCode) || pendingCodes.has(answer.respCode),
    );
  }

  private async queryTransaction(orderId: string, txnTime: string): Promise<AcpFields> {
    const answer = await this.call(queryTransPath, {
      ...this.common(),
      txnType: '00',
      txnSubType: '00',
      bizType: '000000',
      orderId,
      txnTime,
    });
    if (answer.respCode === '00' && answer.orderId !== undefined && answer.orderId !== orderId) {
      throw new ChannelCallError('BAD_ANSWER', 'UnionPay answered a query for another orderId', false);
    }
    return answer;
  }

  async queryPayment(attempt: ChannelAttempt): Promise<PaymentQueryResult> {
    const answer = await this.queryTransaction(attempt.outTradeNo, chinaTimestamp(attempt.createTime));
    if (answer.respCode === '34') return { status: 'not_found' };
    if (answer.respCode !== '00') throw this.callError(answer, 'query');
    if (answer.origRespCode === '00') {
      const totalFee = txnAmtToFen(answer.txnAmt);
      if (totalFee === null || !answer.queryId) {
        throw new ChannelCallError(
          'BAD_ANSWER',
          'UnionPay query answered a payment without txnAmt or queryId',
          false,
        );
      }
      const detail: Record<string, unknown> = { ...answer };
      delete detail.signPubKeyCert;
      delete detail.signature;
      return {
        status: 'paid',
        tradeNo: answer.queryId,
        totalFee,
        paidAt: traceTimeToMs(answer.traceTime, this.now()),
        detail,
      };
    }
    if (answer.origRespCode === undefined || pendingCodes.has(answer.origRespCode)) return { status: 'open' };
    // A final failure of the payment (declined, timed out): that order can no longer be paid.
    return { status: 'closed' };
  }

  /**
   * UnionPay has no way to close a front (gateway) payment: the order stops being payable at its `payTimeout`
   * (set from the attempt's expiry). So this asks UnionPay and succeeds when the payment is not paid; a paid one
   * is an error (the notify or the query books it).
   */
  async closePayment(attempt: ChannelAttempt): Promise<void> {
    const result = await this.queryPayment(attempt);
    if (result.status === 'paid') {
      throw new ChannelCallError(
        'TRADE_PAID',
        'the UnionPay payment is already paid and cannot be closed',
        false,
      );
    }
  }

  private refundTxnTime(refund: ChannelRefundRequest): string {
    return chinaTimestamp(refund.requestedAt ?? this.now());
  }

  async refund(
    attempt: ChannelAttempt,
    refund: ChannelRefundRequest,
    urls: ChannelUrls,
  ): Promise<RefundResult> {
    const payment = await this.queryPayment(attempt);
    if (payment.status !== 'paid')
      return { status: 'failed', reason: `the UnionPay payment is ${payment.status}` };
    const answer = await this.call(backTransPath, {
      ...this.common(),
      txnType: '04',
      txnSubType: '00',
      bizType: '000201',
      channelType: this.channelType(attempt),
      orderId: refund.outRefundNo,
      txnTime: this.refundTxnTime(refund),
      txnAmt: fenToTxnAmt(refund.refundFee),
      origQryId: payment.tradeNo,
      backUrl: urls.notifyUrl,
      // Echoed in the refund's notify, which otherwise names only the original queryId.
      reqReserved: attempt.outTradeNo,
    });
    if (answer.respCode === '00') return { status: 'processing', channelRefundNo: answer.queryId ?? null };
    if (pendingCodes.has(answer.respCode)) return { status: 'processing', channelRefundNo: null };
    // 12: this orderId + txnTime was already sent (a retry): its state is what the query says.
    if (answer.respCode === '12' && refund.requestedAt !== undefined)
      return this.queryRefund(attempt, refund);
    if (answer.respCode === '12') return { status: 'processing', channelRefundNo: null };
    if (busyCodes.has(answer.respCode) || ['11', '13', '30', '31', '32'].includes(answer.respCode)) {
      throw this.callError(answer, 'refund');
    }
    return { status: 'failed', reason: `${answer.respCode} ${answer.respMsg ?? ''}`.trim() };
  }

  async queryRefund(_attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    if (refund.requestedAt === undefined) {
      throw new ChannelCallError(
        'TXN_TIME_UNKNOWN',
        'a UnionPay refund is queried by orderId + txnTime: requestedAt is needed',
        false,
      );
    }
    const answer = await this.queryTransaction(refund.outRefundNo, this.refundTxnTime(refund));
    if (answer.respCode === '34') return { status: 'failed', reason: 'UnionPay has no such refund' };
    if (answer.respCode !== '00') throw this.callError(answer, 'refund query');
    if (answer.origRespCode === '00') {
      const refundFee = txnAmtToFen(answer.txnAmt);
      if (refundFee === null)
        throw new ChannelCallError('BAD_ANSWER', 'UnionPay refund query answered without txnAmt', false);
      return {
        status: 'success',
        channelRefundNo: answer.queryId ?? '',
        refundFee,
        finishedAt: traceTimeToMs(answer.traceTime, this.now()),
      };
    }
    if (answer.origRespCode === undefined || pendingCodes.has(answer.origRespCode)) {
      return { status: 'processing', channelRefundNo: answer.queryId ?? null };
    }
    return { status: 'failed', reason: `${answer.origRespCode} ${answer.origRespMsg ?? ''}`.trim() };
  }
}
