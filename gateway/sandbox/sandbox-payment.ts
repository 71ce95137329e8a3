/**
 * What happens when a payer acts on a sandbox page: the sandbox channel sends its signed notify and the gateway
 * handles it on the same path as any channel's notify (`handleChannelNotify`).
 */
import { returnUrlParams, type Bill } from '../bills/bill.ts';
import { headerSafeUrl } from '../bills/visible-text.ts';
import { handleChannelNotify, type NotifyResult } from '../channels/channel-notify.ts';
import type { GatewayContext } from '../gateway-context.ts';

export async function sandboxPay(ctx: GatewayContext, bill: Bill): Promise<NotifyResult> {
  return handleChannelNotify(ctx.sandbox, ctx.bills, ctx.sandbox.signedNotify(bill, 'SUCCESS'));
}

export async function sandboxFail(ctx: GatewayContext, bill: Bill, reason: string): Promise<NotifyResult> {
  return handleChannelNotify(ctx.sandbox, ctx.bills, ctx.sandbox.signedNotify(bill, 'FAIL', reason));
}

/**
 * Where the browser goes after a payment: return_url with BeeCloud's parameters, or the default result page — also
 * when a stored return_url cannot be a Location header (accepted before it was checked): the money has moved, so
 * this must never throw (issue 21 item 8).
 */
export function afterPaymentUrl(ctx: GatewayContext, bill: Bill): string {
  const returnUrl = bill.returnUrl ? headerSafeUrl(bill.returnUrl) : undefined;
  if (returnUrl) {
    return `${returnUrl}?${returnUrlParams(bill).toString()}`;
  }
  return `${ctx.publicUrl()}/1/pay/jsbutton/result/${bill.id}`;
}
