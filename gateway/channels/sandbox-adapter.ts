/**
 * The sandbox channel: stands in for Alipay, WeChat Pay and UnionPay in test mode, through the same channel
 * contract (`channel.ts`) as the real ones. Its "cashier" and scan pages are gateway pages (`sandbox/`); when the
 * payer pays there, the sandbox records the payment (what `queryPayment` answers from, as a real channel would)
 * and sends a signed notify that goes through the core's one notify path. `faults.dropNotifies` loses those
 * notifies, so reconciliation can be seen to find the payment anyway.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { md5Hex, signaturesEqual } from '../../sdk/sign.ts';
import {
  NotifyRejected,
  type CancelResult,
  type CardPayment,
  type CardPaymentResult,
  type ChannelAdapter,
  type ChannelAttempt,
  type PaymentCodeResult,
  type ChannelNotice,
  type ChannelRefundRequest,
  type NotifyAnswer,
  type PaymentQueryResult,
  type PaymentStart,
  type RawChannelNotify,
  type RefundResult,
} from './channel.ts';
import { channelInfo } from './channels.ts';

export const sandboxNotifySignatureHeader = 'x-sandbox-signature';
/** The WeChat appid the sandbox uses in JSAPI parameters. */
export const sandboxWxAppId = 'wxsandbox0000000';

interface SandboxNotifyBody {
  bill_id: string;
  out_trade_no: string;
  result: 'SUCCESS' | 'FAIL';
  trade_no: string;
  total_fee: number;
  paid_at: number;
  sub_channel: string;
  reason?: string;
}

interface SandboxPayment {
  tradeNo: string;
  totalFee: number;
  paidAt: number;
  detail: Record<string, unknown>;
}

/**
 * What the sandbox does with a payment code, by its last digit (the code itself must look like the channel's:
 * WeChat 18 digits starting 10–15, Alipay 16–24 digits starting 25–30):
 * - `1`: waiting for the payer's password; the payer confirms `scanSettleMs` later (2 s) — a query then finds it paid;
 * - `2`: refused (the payer's balance is insufficient);
 * - `3`: waiting, and the payer never confirms (revert it, or it expires);
 * - any other: paid at once.
 */
export function sandboxPaymentCodeBehaviour(authCode: string): 'waiting' | 'refused' | 'never' | 'paid' {
  switch (authCode.at(-1)) {
    case '1':
      return 'waiting';
    case '2':
      return 'refused';
    case '3':
      return 'never';
    default:
      return 'paid';
  }
}

/** Sandbox cards: a number (or saved card) ending 0002 is declined, every other valid card is approved. */
export const sandboxDeclinedCardSuffix = '0002';

export interface SandboxFaults {
  /** Payer actions are recorded but their notifies never reach the gateway. */
  dropNotifies: boolean;
}

export class SandboxChannel implements ChannelAdapter {
  readonly family = 'SANDBOX' as const;
  readonly faults: SandboxFaults = { dropNotifies: false };
  /** Signs the sandbox's notifies; fresh per process (a notify is delivered at once, never stored). */
  private readonly notifyKey = randomBytes(32);
  /** What payers paid on the sandbox pages, by out_trade_no. */
  private readonly payments = new Map<string, SandboxPayment>();
  private readonly refunds = new Map<string, RefundResult>();
  private readonly closed = new Set<string>();
  /** Payment-code payments waiting for the payer: when the payer confirms (ms), or null for never. */
  private readonly waiting = new Map<string, { confirmAt: number | null; attempt: ChannelAttempt }>();
  /** How long a waiting payment code takes to be confirmed by its sandbox payer. */
  scanSettleMs = 2000;

  /** `gatewayUrl()`: where browsers reach the gateway (the sandbox pages live there). */
  constructor(private readonly gatewayUrl: () => string) {}

  async createPayment(attempt: ChannelAttempt): Promise<PaymentStart> {
    const base = this.gatewayUrl();
    const info = channelInfo(attempt.channel);
    if (info.action === 'qr') {
      const scan = info.family === 'ALI' ? 'ali' : 'wx';
      return { action: 'qr', codeUrl: `${base}/sandbox/${scan}/scan/${attempt.billId}` };
    }
    if (info.action === 'jsapi') {
      const timeStamp = String(Math.floor(Date.now() / 1000));
      const nonceStr = randomUUID().replaceAll('-', '');
      const pkg = `prepay_id=wx_sandbox_${attempt.outTradeNo}`;
      // WeChat's MD5 pay sign: sorted key=value pairs + &key=…; the sandbox uses its own key.
      const toSign = `appId=${sandboxWxAppId}&nonceStr=${nonceStr}&package=${pkg}&signType=MD5&timeStamp=${timeStamp}`;
      const paySign = md5Hex(`${toSign}&key=${this.notifyKey.toString('hex')}`).toUpperCase();
      return {
        action: 'jsapi',
        params: { appId: sandboxWxAppId, timeStamp, nonceStr, package: pkg, signType: 'MD5', paySign },
      };
    }
    if (attempt.channel === 'PAYPAL_PAYPAL') {
      return {
        action: 'redirect',
        url: `${base}/sandbox/paypal/approve/${attempt.billId}`,
        method: 'GET',
        param: {},
      };
    }
    return { action: 'redirect', url: `${base}/sandbox/cashier/${attempt.billId}`, method: 'GET', param: {} };
  }

  async chargePaymentCode(attempt: ChannelAttempt, authCode: string): Promise<PaymentCodeResult> {
    const known = this.payments.get(attempt.outTradeNo);
    if (known !== undefined) return { status: 'paid', ...known };
    const detail = { out_trade_no: attempt.outTradeNo, sub_channel: attempt.channel, channel: 'SANDBOX' };
    switch (sandboxPaymentCodeBehaviour(authCode)) {
      case 'refused':
        return { status: 'failed', reason: "NOT_ENOUGH: the payer's balance is insufficient", detail };
      case 'waiting':
      case 'never': {
        const never = sandboxPaymentCodeBehaviour(authCode) === 'never';
        this.waiting.set(attempt.outTradeNo, {
          confirmAt: never ? null : Date.now() + this.scanSettleMs,
          attempt,
        });
        return { status: 'waiting', detail: { ...detail, trade_status: 'USERPAYING' } };
      }
      case 'paid': {
        const payment = this.record(attempt);
        return { status: 'paid', ...payment };
      }
    }
  }

  async cancelPayment(attempt: ChannelAttempt): Promise<CancelResult> {
    this.settleWaiting(attempt.outTradeNo);
    const paid = this.payments.get(attempt.outTradeNo);
    this.waiting.delete(attempt.outTradeNo);
    this.closed.add(attempt.outTradeNo);
    if (paid !== undefined) {
      this.payments.delete(attempt.outTradeNo);
      return { action: 'refunded', detail: { out_trade_no: attempt.outTradeNo, trade_no: paid.tradeNo } };
    }
    return { action: 'closed', detail: { out_trade_no: attempt.outTradeNo } };
  }

  async chargeCard(attempt: ChannelAttempt, card: CardPayment): Promise<CardPaymentResult> {
    const last4 = card.kind === 'card' ? card.number.slice(-4) : card.last4;
    const detail = {
      out_trade_no: attempt.outTradeNo,
      card_last4: last4,
      currency: attempt.currency ?? 'CNY',
    };
    if (last4 === sandboxDeclinedCardSuffix) {
      return { status: 'failed', reason: 'CREDIT_CARD_REFUSED', detail: { ...detail, channel: 'SANDBOX' } };
    }
    const payment = this.record(attempt, { card_last4: last4 });
    const cardId =
      card.kind === 'card' ? `CARD-${randomBytes(12).toString('hex').toUpperCase()}` : card.cardId;
    return { status: 'paid', ...payment, cardId };
  }

  /** Records a payment once (paying again answers the same payment). */
  private record(attempt: ChannelAttempt, extra: Record<string, unknown> = {}): SandboxPayment {
    let payment = this.payments.get(attempt.outTradeNo);
    if (payment === undefined) {
      const tradeNo = `SANDBOX${Date.now()}${randomBytes(4).toString('hex').toUpperCase()}`;
      const paidAt = Date.now();
      const detail: Record<string, unknown> = {
        bill_id: attempt.billId,
        out_trade_no: attempt.outTradeNo,
        result: 'SUCCESS',
        trade_no: tradeNo,
        total_fee: attempt.totalFee,
        paid_at: paidAt,
        sub_channel: attempt.channel,
        ...(attempt.currency === undefined ? {} : { currency: attempt.currency }),
        ...extra,
      };
      payment = { tradeNo, totalFee: attempt.totalFee, paidAt, detail: { ...detail, channel: 'SANDBOX' } };
      this.payments.set(attempt.outTradeNo, payment);
    }
    return payment;
  }

  /** A waiting payment code whose payer has confirmed by now becomes a payment. */
  private settleWaiting(outTradeNo: string): void {
    const waiting = this.waiting.get(outTradeNo);
    if (waiting === undefined || waiting.confirmAt === null || waiting.confirmAt > Date.now()) return;
    this.waiting.delete(outTradeNo);
    this.record(waiting.attempt);
  }

  /**
   * The payer paid on a sandbox page: the sandbox records the payment (once; paying again answers the same
   * payment) and returns the notify it sends to the gateway.
   */
  payerPaid(attempt: ChannelAttempt): RawChannelNotify {
    const payment = this.record(attempt);
    const { channel: _channel, ...body } = payment.detail;
    return this.signed(body);
  }

  /** The payer's payment failed on a sandbox page: the notify the sandbox sends. */
  payerFailed(attempt: ChannelAttempt, reason: string): RawChannelNotify {
    const body: SandboxNotifyBody = {
      bill_id: attempt.billId,
      out_trade_no: attempt.outTradeNo,
      result: 'FAIL',
      trade_no: '',
      total_fee: attempt.totalFee,
      paid_at: Date.now(),
      sub_channel: attempt.channel,
      reason,
    };
    return this.signed(body);
  }

  async parseNotify(raw: RawChannelNotify): Promise<ChannelNotice> {
    const header = raw.headers[sandboxNotifySignatureHeader];
    const received = Array.isArray(header) ? (header[0] ?? '') : (header ?? '');
    if (!signaturesEqual(this.sign(raw.body), received)) {
      throw new NotifyRejected('sandbox notify signature does not match');
    }
    let body: SandboxNotifyBody;
    try {
      body = JSON.parse(raw.body) as SandboxNotifyBody;
    } catch {
      throw new NotifyRejected('sandbox notify is not JSON');
    }
    if (body.result === 'FAIL') {
      return {
        kind: 'payment_failed',
        outTradeNo: body.out_trade_no,
        reason: body.reason ?? 'payer failed the payment',
        detail: { ...body, channel: 'SANDBOX' },
      };
    }
    return {
      kind: 'payment',
      outTradeNo: body.out_trade_no,
      tradeNo: body.trade_no,
      totalFee: body.total_fee,
      paidAt: body.paid_at,
      detail: { ...body, channel: 'SANDBOX' },
    };
  }

  notifyAnswer(accepted: boolean): NotifyAnswer {
    return {
      status: accepted ? 200 : 400,
      contentType: 'text/plain; charset=utf-8',
      body: accepted ? 'success' : 'fail',
    };
  }

  async queryPayment(attempt: ChannelAttempt): Promise<PaymentQueryResult> {
    this.settleWaiting(attempt.outTradeNo);
    const payment = this.payments.get(attempt.outTradeNo);
    if (payment !== undefined) return { status: 'paid', ...payment };
    return this.closed.has(attempt.outTradeNo) ? { status: 'closed' } : { status: 'open' };
  }

  async closePayment(attempt: ChannelAttempt): Promise<void> {
    this.settleWaiting(attempt.outTradeNo);
    this.waiting.delete(attempt.outTradeNo);
    if (!this.payments.has(attempt.outTradeNo)) this.closed.add(attempt.outTradeNo);
  }

  async refund(attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    const known = this.refunds.get(refund.outRefundNo);
    if (known !== undefined) return known;
    const result: RefundResult = {
      status: 'success',
      channelRefundNo: `SANDBOXREFUND${Date.now()}${randomBytes(3).toString('hex').toUpperCase()}`,
      refundFee: refund.refundFee,
      finishedAt: Date.now(),
    };
    this.refunds.set(refund.outRefundNo, result);
    return result;
  }

  async queryRefund(_attempt: ChannelAttempt, refund: ChannelRefundRequest): Promise<RefundResult> {
    return (
      this.refunds.get(refund.outRefundNo) ?? { status: 'failed', reason: 'the sandbox has no such refund' }
    );
  }

  private signed(body: object): RawChannelNotify {
    const text = JSON.stringify(body);
    return { body: text, headers: { [sandboxNotifySignatureHeader]: this.sign(text) } };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.notifyKey).update(body, 'utf8').digest('hex');
  }
}
