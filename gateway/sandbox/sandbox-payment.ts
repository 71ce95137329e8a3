/**
 * What happens when a payer acts on a sandbox page: the sandbox channel records it and sends its signed notify,
 * which the core handles on the one notify path (core/notices.ts) — unless the sandbox's `dropNotifies` fault is
 * on, in which case only reconciliation will learn of the payment.
 */
import { returnUrlParams, type Bill } from '../bills/bill.ts';
import { attemptOf } from '../core/core-deps.ts';
import type { NoticeOutcome } from '../core/notices.ts';
import { headerSafeUrl } from '../bills/visible-text.ts';
import type { GatewayContext } from '../gateway-context.ts';

export type SandboxActionResult =
  NoticeOutcome | { outcome: 'rejected'; reason: string } | { outcome: 'notify_dropped' };

export async function sandboxPay(
  ctx: GatewayContext,
  bill: Bill,
  currency?: string,
): Promise<SandboxActionResult> {
  const sandbox = ctx.core.registry.sandbox;
  const raw = sandbox.payerPaid({ ...attemptOf(bill), ...(currency === undefined ? {} : { currency }) });
  if (sandbox.faults.dropNotifies) return { outcome: 'notify_dropped' };
  return (await ctx.core.notices.receive(sandbox, raw, { mode: 'test' })).outcome;
}

export async function sandboxFail(
  ctx: GatewayContext,
  bill: Bill,
  reason: string,
): Promise<SandboxActionResult> {
  const sandbox = ctx.core.registry.sandbox;
  const raw = sandbox.payerFailed(attemptOf(bill), reason);
  if (sandbox.faults.dropNotifies) return { outcome: 'notify_dropped' };
  return (await ctx.core.notices.receive(sandbox, raw, { mode: 'test' })).outcome;
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
