/** How an order's status reads on the demo's pages. */
import type { OrderStatus, RefundStatus } from '../orders/order-store.ts';

const orderLabels: Record<OrderStatus, string> = {
  created: '待支付',
  paid: '已支付',
  refunding: '退款中',
  refunded: '已退款',
};

const refundLabels: Record<RefundStatus, string> = {
  requested: '退款已提交，等待 webhook',
  refunded: '退款成功',
  rejected: '退款被拒绝',
  failed: '退款失败',
};

export function statusLabel(status: OrderStatus): string {
  return orderLabels[status];
}

export function refundStatusLabel(status: RefundStatus): string {
  return refundLabels[status];
}
