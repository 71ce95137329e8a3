/**
 * The orders page's refund action: refund what is left of a paid order through the SDK. The request is written
 * down first (so the REFUND webhook finds it even if it arrives before the gateway's answer); a refusal puts the
 * order back to paid with the gateway's reason. The order becomes refunded only when the webhook says so.
 */
import type { SpayClient } from '../../sdk/client.ts';
import { newRefundNo } from '../../sdk/rest-types.ts';
import type { OrderStore } from '../orders/order-store.ts';

export type RefundRequestOutcome =
  { ok: true; refundNo: string } | { ok: false; reason: string; refundNo?: string };

export async function requestFullRefund(
  orders: OrderStore,
  client: SpayClient,
  outTradeNo: string,
  now: () => number = Date.now,
): Promise<RefundRequestOutcome> {
  const order = orders.findOrder(outTradeNo);
  if (order === undefined) return { ok: false, reason: `没有订单 ${outTradeNo}` };
  if (order.status !== 'paid')
    return { ok: false, reason: `订单 ${outTradeNo} 的状态是 ${order.status}，不能退款` };
  const refundFee = order.amount - order.refundedFee;
  if (refundFee <= 0) return { ok: false, reason: `订单 ${outTradeNo} 已全部退款` };

  const refundNo = newRefundNo(new Date(now()));
  orders.addRefundRequest({ refundNo, outTradeNo, refundFee, requestedAt: now() });
  const result = await client.refund({ refund_no: refundNo, bill_no: outTradeNo, refund_fee: refundFee });
  if (result.ok) return { ok: true, refundNo };

  const reason = `${result.result_msg} (${result.result_code})${result.err_detail ? `: ${result.err_detail}` : ''}`;
  orders.markRefundRejected(refundNo, reason, now());
  return { ok: false, reason, refundNo };
}
