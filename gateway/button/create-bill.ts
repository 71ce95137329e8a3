/**
 * Creating a bill for the button: validate the order, check the app and its sign (constant time), check that the
 * channel is enabled, create the attempt and ask the channel adapter how the payer continues.
 */
import { channelInfo, isButtonChannel, isChannelEnabled, type ButtonChannel } from '../channels/channels.ts';
import type { PaymentStart } from '../channels/channel-adapter.ts';
import { BeeCloudError, okAnswer, type BeeCloudAnswer } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { parseButtonOrder } from './button-order.ts';
import { checkPageOrigin } from './bill-origin.ts';
import { verifyButtonSign } from './button-sign.ts';

export type CreateBillAnswer = BeeCloudAnswer & { id: string } & Record<string, unknown>;

export function parseChannel(name: string): ButtonChannel {
  const upper = name.toUpperCase();
  if (!isButtonChannel(upper)) {
    throw new BeeCloudError('CHANNEL_INVALID', 'channel', `${name.slice(0, 32)} is not a button channel`);
  }
  return upper;
}

/** `pageOrigin`: the origin of the page that asks (requestPageOrigin), undefined for a server. */
export async function createButtonBill(
  ctx: GatewayContext,
  channelName: string,
  input: unknown,
  pageOrigin?: string,
): Promise<CreateBillAnswer> {
  const channel = parseChannel(channelName);
  const order = parseButtonOrder(input, { needsOpenid: channel === 'WX_JSAPI' });
  const app = await ctx.apps.findApp(order.appId);
  if (!app) throw new BeeCloudError('APP_INVALID', 'appId', `no app ${order.appId.slice(0, 64)}`);
  checkPageOrigin(app, pageOrigin);
  verifyButtonSign(app, order);
  if (!isChannelEnabled(channel, app.channels)) {
    throw new BeeCloudError('CHANNEL_INVALID', 'channel', `${channel} is not enabled for this app`);
  }
  const adapter = ctx.adapterFor(app, app.mode);
  if (!adapter) {
    throw new BeeCloudError(
      'PAY_FACTOR_NOT_SET',
      'channel',
      `${channel} has no ${app.mode} credentials on this gateway`,
    );
  }
  const bill = await ctx.bills.createAttempt({
    app,
    channel,
    billNo: order.outTradeNo,
    title: order.title,
    totalFee: order.amount,
    returnUrl: order.returnUrl,
    optional: order.optional,
    openid: order.openid,
    billTimeoutSeconds: order.billTimeoutSeconds,
  });
  let start: PaymentStart;
  try {
    start = await adapter.createPayment(bill, { gatewayUrl: ctx.publicUrl() });
  } catch (error) {
    await ctx.bills.closeAttempt(bill.id, 'closed');
    ctx.log.error({ err: error, billId: bill.id }, 'channel refused the payment');
    throw new BeeCloudError(
      'CHANNEL_ERROR',
      'channel',
      `${channel} did not accept the payment, try another channel`,
    );
  }
  return {
    ...okAnswer(),
    id: bill.id,
    ...paymentFields(ctx, bill.id, channel, start, bill.totalFee, bill.expiresAt),
  };
}

function paymentFields(
  ctx: GatewayContext,
  billId: string,
  channel: ButtonChannel,
  start: PaymentStart,
  totalFee: number,
  expiresAt: number | null,
): Record<string, unknown> {
  switch (start.kind) {
    case 'redirect':
      return {
        url: start.url,
        method: start.method,
        param: start.param,
        ...(channelInfo(channel).family === 'ALI'
          ? { guide_url: `${ctx.publicUrl()}/1/pay/jsbutton/guide/${billId}` }
          : {}),
      };
    case 'qr':
      return { code_url: start.codeUrl, total_fee: totalFee, expires_at: expiresAt };
    case 'jsapi':
      return {
        app_id: start.params.appId,
        timestamp: start.params.timeStamp,
        nonce_str: start.params.nonceStr,
        package: start.params.package,
        sign_type: start.params.signType,
        pay_sign: start.params.paySign,
      };
  }
}
