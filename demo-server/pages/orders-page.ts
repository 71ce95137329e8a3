/**
 * The merchant's orders with their status (created, paid, refunding, refunded) and a refund action for paid
 * ones. /assets/orders.js replaces rows as the server announces changes, so the page updates by itself.
 */
import type { Order } from '../orders/order-store.ts';
import { formatFen, html, page, type Html } from './html.ts';
import { refundStatusLabel, statusLabel } from './order-status.ts';

export function formatTime(ms: number | null): string {
  if (ms === null) return '';
  return new Date(ms).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });
}

export function orderRowId(outTradeNo: string): string {
  return `order-${outTradeNo}`;
}

export function orderRow(order: Order): Html {
  const refundable = order.amount - order.refundedFee;
  const refund = order.lastRefund;
  return html`<tr id="${orderRowId(order.outTradeNo)}" data-status="${order.status}">
    <td><code>${order.outTradeNo}</code></td>
    <td>${order.title}</td>
    <td class="amount">${formatFen(order.amount)}</td>
    <td>
      <span class="status status-${order.status}">${order.status}</span> ${statusLabel(order.status)}
      ${order.refundedFee > 0 ? html`<br /><small>已退 ${formatFen(order.refundedFee)}</small>` : ''}
    </td>
    <td>${order.subChannel ?? order.channel ?? ''}</td>
    <td>${formatTime(order.createdAt)}</td>
    <td>
      ${
        order.status === 'paid' && refundable > 0
          ? html`<form method="post" action="/orders/${encodeURIComponent(order.outTradeNo)}/refund">
              <button type="submit">退款 ${formatFen(refundable)}</button>
            </form>`
          : ''
      }
      ${
        refund === null
          ? ''
          : html`<small class="refund refund-${refund.status}"
              >${refundStatusLabel(refund.status)}${refund.message ? html`：${refund.message}` : ''}</small
            >`
      }
    </td>
  </tr>`;
}

export function ordersPage(orders: Order[]): Html {
  return page({
    title: '订单',
    body: html`<main>
      <h1>订单</h1>
      <p>订单状态由 webhook 更新，本页会自动刷新。<span id="live-status" role="status"></span></p>
      <table class="orders">
        <thead>
          <tr>
            <th scope="col">订单号</th>
            <th scope="col">商品</th>
            <th scope="col">金额</th>
            <th scope="col">状态</th>
            <th scope="col">渠道</th>
            <th scope="col">创建时间</th>
            <th scope="col">退款</th>
          </tr>
        </thead>
        <tbody id="orders">
          ${orders.map(orderRow)}
        </tbody>
      </table>
      ${orders.length === 0 ? html`<p id="no-orders">还没有订单。<a href="/">去下单</a></p>` : ''}
    </main>`,
    scripts: ['/assets/orders.js'],
  });
}

export function messagePage(title: string, message: string, status: 'error' | 'info' = 'error'): Html {
  return page({
    title,
    body: html`<main>
      <h1>${title}</h1>
      <p class="${status}" role="${status === 'error' ? 'alert' : 'status'}">${message}</p>
      <p><a href="/">返回商品页</a> · <a href="/orders">查看订单</a></p>
    </main>`,
  });
}
