/**
 * The sandbox channel: stands in for Alipay, WeChat Pay and UnionPay in test mode. Its "cashier" is a page on the
 * gateway; paying there makes the sandbox send a signed notify that goes through the same notify path a real
 * channel's would (`ChannelNotifyHandler`), so everything after it is the real code.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { md5Hex, signaturesEqual } from '../../sdk/sign.ts';
import type { Bill } from '../bills/bill.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { channelInfo } from './channels.ts';
import type {
  ChannelAdapter,
  ChannelNotice,
  ChannelRefundResult,
  PaymentStart,
  RawChannelNotify,
} from './channel-adapter.ts';

export const sandboxNotifySignatureHeader = 'x-sandbox-signature';
/** The WeChat appid the sandbox uses in JSAPI parameters. */
export const sandboxWxAppId = 'wxsandbox0000000';

interface SandboxNotifyBody {
  bill_id: string;
  result: 'SUCCESS' | 'FAIL';
  trade_no: string;
  total_fee: number;
  paid_at: number;
  sub_channel: string;
  reason?: string;
}

export class SandboxChannel implements ChannelAdapter {
  readonly name = 'sandbox';
  /** Signs the sandbox's notifies; fresh per process (a notify is delivered at once, never stored). */
  private readonly notifyKey = randomBytes(32);
  private readonly payments = new Map<string, string>();

  async createPayment(bill: Bill, { gatewayUrl }: { gatewayUrl: string }): Promise<PaymentStart> {
    const info = channelInfo(bill.subChannel);
    if (info.kind === 'qr') return { kind: 'qr', codeUrl: `${gatewayUrl}/sandbox/wx/scan/${bill.id}` };
    if (info.kind === 'jsapi') {
      const timeStamp = String(Math.floor(Date.now() / 1000));
      const nonceStr = randomUUID().replaceAll('-', '');
      const pkg = `prepay_id=wx_sandbox_${bill.id.replaceAll('-', '')}`;
      // WeChat's MD5 pay sign: sorted key=value pairs + &key=…; the sandbox uses its own key.
      const toSign = `appId=${sandboxWxAppId}&nonceStr=${nonceStr}&package=${pkg}&signType=MD5&timeStamp=${timeStamp}`;
      const paySign = md5Hex(`${toSign}&key=${this.notifyKey.toString('hex')}`).toUpperCase();
      return {
        kind: 'jsapi',
        params: { appId: sandboxWxAppId, timeStamp, nonceStr, package: pkg, signType: 'MD5', paySign },
      };
    }
    return { kind: 'redirect', url: `${gatewayUrl}/sandbox/cashier/${bill.id}`, method: 'GET', param: {} };
  }

  /** What the sandbox "channel" posts to the gateway when the payer pays (or fails) on a sandbox page. */
  signedNotify(bill: Bill, result: 'SUCCESS' | 'FAIL', reason?: string): RawChannelNotify {
    const tradeNo = `SANDBOX${Date.now()}${randomBytes(4).toString('hex').toUpperCase()}`;
    const body: SandboxNotifyBody = {
      bill_id: bill.id,
      result,
      trade_no: tradeNo,
      total_fee: bill.totalFee,
      paid_at: Date.now(),
      sub_channel: bill.subChannel,
      ...(reason ? { reason } : {}),
    };
    const text = JSON.stringify(body);
    return { body: text, headers: { [sandboxNotifySignatureHeader]: this.sign(text) } };
  }

  parseNotify(raw: RawChannelNotify): ChannelNotice {
    const header = raw.headers[sandboxNotifySignatureHeader];
    const received = Array.isArray(header) ? (header[0] ?? '') : (header ?? '');
    if (!signaturesEqual(this.sign(raw.body), received)) {
      throw new BeeCloudError('APP_INVALID', 'signature', 'sandbox notify signature does not match');
    }
    let body: SandboxNotifyBody;
    try {
      body = JSON.parse(raw.body) as SandboxNotifyBody;
    } catch {
      throw new BeeCloudError('PARAM_INVALID', 'body', 'sandbox notify is not JSON');
    }
    if (body.result === 'FAIL') {
      return { result: 'failed', billId: body.bill_id, reason: body.reason ?? 'payer failed the payment' };
    }
    this.payments.set(body.bill_id, body.trade_no);
    return {
      result: 'paid',
      billId: body.bill_id,
      tradeNo: body.trade_no,
      totalFee: body.total_fee,
      paidAt: body.paid_at,
      detail: { ...body, channel: 'SANDBOX' },
    };
  }

  notifyAnswer(accepted: boolean): { contentType: string; body: string } {
    return { contentType: 'text/plain; charset=utf-8', body: accepted ? 'success' : 'fail' };
  }

  async queryPayment(bill: Bill): Promise<{ paid: boolean; tradeNo: string | null }> {
    const tradeNo = this.payments.get(bill.id) ?? bill.tradeNo;
    return { paid: tradeNo !== null && tradeNo !== undefined, tradeNo: tradeNo ?? null };
  }

  async refund(bill: Bill, refund: { refundNo: string; refundFee: number }): Promise<ChannelRefundResult> {
    const channelRefundNo = `SANDBOXREFUND${Date.now()}${randomBytes(3).toString('hex').toUpperCase()}`;
    return {
      accepted: true,
      channelRefundNo,
      detail: {
        channel: 'SANDBOX',
        bill_id: bill.id,
        trade_no: bill.tradeNo,
        refund_no: refund.refundNo,
        refund_fee: refund.refundFee,
        channel_refund_no: channelRefundNo,
      },
    };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.notifyKey).update(body, 'utf8').digest('hex');
  }
}
