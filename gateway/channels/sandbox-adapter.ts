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
  type ChannelAdapter,
  type ChannelAttempt,
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
    return { action: 'redirect', url: `${base}/sandbox/cashier/${attempt.billId}`, method: 'GET', param: {} };
  }

  /**
   * The payer paid on a sandbox page: the sandbox records the payment (once; paying again answers the same
   * payment) and returns the notify it sends to the gateway.
   */
  payerPaid(attempt: ChannelAttempt): RawChannelNotify {
    let payment = this.payments.get(attempt.outTradeNo);
    if (payment === undefined) {
      const tradeNo = `SANDBOX${Date.now()}${randomBytes(4).toString('hex').toUpperCase()}`;
      const paidAt = Date.now();
      const detail = {
        bill_id: attempt.billId,
        out_trade_no: attempt.outTradeNo,
        result: 'SUCCESS',
        trade_no: tradeNo,
        total_fee: attempt.totalFee,
        paid_at: paidAt,
        sub_channel: attempt.channel,
      } satisfies SandboxNotifyBody;
      payment = { tradeNo, totalFee: attempt.totalFee, paidAt, detail: { ...detail, channel: 'SANDBOX' } };
      this.payments.set(attempt.outTradeNo, payment);
    }
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
    const payment = this.payments.get(attempt.outTradeNo);
    if (payment !== undefined) return { status: 'paid', ...payment };
    return this.closed.has(attempt.outTradeNo) ? { status: 'closed' } : { status: 'open' };
  }

  async closePayment(attempt: ChannelAttempt): Promise<void> {
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
