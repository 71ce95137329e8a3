/**
 * Creating a bill for the button (the edge): the order checked by its schema (button-order.ts), check the app and its sign (constant time), then
 * the core's `startPayment`; the answer names the `action` the payer continues with (sdk/button-types.ts) and
 * keeps every BeeCloud field old pages read.
 */
import type { ButtonBillAnswer } from '../../sdk/button-types.ts';
import type { Bill } from '../bills/bill.ts';
import type { PaymentStart } from '../channels/channel.ts';
import { channelInfo, isButtonChannel, type ButtonChannel } from '../channels/channels.ts';
import { DomainError } from '../core/domain-error.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { beeCloudErrorFor } from '../http/domain-errors.ts';
import { buttonOrderFrom, type ButtonOrderFields } from './button-order.ts';
import { checkPageOrigin } from './bill-origin.ts';
import { verifyButtonSign } from './button-sign.ts';

export type CreateBillAnswer = ButtonBillAnswer;

export function parseChannel(name: string): ButtonChannel {
  const upper = name.toUpperCase();
  if (!isButtonChannel(upper)) {
    throw new BeeCloudError('CHANNEL_INVALID', 'channel', `${name.slice(0, 32)} is not a button channel`);
  }
  return upper;
}

/** Who asks: the payer's IP, and the origin of the page that asks (requestPageOrigin), undefined for a server. */
export interface ButtonRequester {
  payerIp?: string | null;
  pageOrigin?: string;
}

export async function createButtonBill(
  ctx: GatewayContext,
  channelName: string,
  fields: ButtonOrderFields,
  { payerIp = null, pageOrigin }: ButtonRequester = {},
): Promise<CreateBillAnswer> {
  const channel = parseChannel(channelName);
  const order = buttonOrderFrom(fields, { needsOpenid: channel === 'WX_JSAPI' });
  const app = await ctx.store.apps.findApp(order.appId);
  if (!app) throw new BeeCloudError('APP_INVALID', 'appId', `no app ${order.appId.slice(0, 64)}`);
  checkPageOrigin(app, pageOrigin);
  verifyButtonSign(app, order);
  try {
    const { bill, start } = await ctx.core.payments.startPayment({
      app,
      mode: app.mode,
      channel,
      billNo: order.outTradeNo,
      title: order.title,
      totalFee: order.amount,
      returnUrl: order.returnUrl,
      optional: order.optional,
      openid: order.openid,
      billTimeoutSeconds: order.billTimeoutSeconds,
      ...(order.buyerId !== null || order.couponId !== null
        ? { extras: { buyerId: order.buyerId ?? undefined, couponId: order.couponId ?? undefined } }
        : {}),
      payerIp,
    });
    return buttonAnswer(ctx, bill, start);
  } catch (error) {
    if (error instanceof DomainError) throw beeCloudErrorFor(error, 'button');
    throw error;
  }
}

function buttonAnswer(ctx: GatewayContext, bill: Bill, start: PaymentStart): ButtonBillAnswer {
  // Object.assign rather than `{ ...base, action, … }` (okAnswer says why).
  const base = okAnswer({ resultCode: 0 as const, result_code: 0 as const, id: bill.id });
  switch (start.action) {
    case 'redirect':
      return Object.assign(base, {
        action: 'redirect' as const,
        url: start.url,
        method: start.method,
        param: start.param,
        ...(channelInfo(bill.subChannel).family === 'ALI'
          ? { guide_url: `${ctx.publicUrl()}/1/pay/jsbutton/guide/${bill.id}` }
          : {}),
      });
    case 'qr':
      return Object.assign(base, {
        action: 'qr' as const,
        code_url: start.codeUrl,
        url: start.codeUrl,
        total_fee: bill.totalFee,
        expires_at: bill.expiresAt,
      });
    case 'jsapi':
      return Object.assign(base, {
        action: 'jsapi' as const,
        app_id: start.params.appId,
        timestamp: start.params.timeStamp,
        nonce_str: start.params.nonceStr,
        package: start.params.package,
        sign_type: start.params.signType,
        pay_sign: start.params.paySign,
      });
  }
}
