/**
 * The return_url page: shows what the payment page sent back, for display only. The order's real state comes
 * from the webhook, and the page says so.
 */
import type { Order } from '../orders/order-store.ts';
import { formatFen, html, page, type Html } from './html.ts';
import { statusLabel } from './order-status.ts';

/** The parameters BeeCloud appends to return_url, in its order. */
export const RETURN_PARAMETERS = [
  ['bill_no', '订单号'],
  ['title', '商品'],
  ['total_fee', '金额（分）'],
  ['channel', '渠道'],
  ['sub_channel', '子渠道'],
  ['spay_result', '支付结果'],
  ['trade_no', '渠道交易号'],
  ['create_time', '创建时间'],
] as const;

export function payResultPage(view: { parameters: Record<string, string>; order: Order | undefined }): Html {
  const claimsPaid = view.parameters.spay_result === 'true';
  return page({
    title: '支付结果',
    body: html`<main>
      <h1>${claimsPaid ? '支付完成' : '支付未完成'}</h1>
      ${claimsPaid ? '' : html`<p class="hint">付款已取消或未成功，您可以返回商品页重新付款；如已扣款，请联系本店。</p>`}
      <p class="notice">
        本页只展示支付页面跳转回来时携带的参数，不作为支付结果的依据：订单是否已支付以服务器收到的 webhook
        为准。
      </p>
      <dl class="return-parameters">
        ${RETURN_PARAMETERS.map(
          ([name, label]) =>
            html`<dt>${label} <code>${name}</code></dt>
              <dd data-parameter="${name}">${view.parameters[name] ?? '—'}</dd>`,
        )}
      </dl>
      ${
        view.order === undefined
          ? html`<p>本店没有这个订单号的订单。</p>`
          : html`<p>
              服务器记录的订单状态（以 webhook 为准）：
              <strong class="status status-${view.order.status}" data-order-status="${view.order.status}"
                >${view.order.status} ${statusLabel(view.order.status)}</strong
              >
              ，金额 ${formatFen(view.order.amount)}
            </p>`
      }
      <p><a href="/orders">查看全部订单</a> · <a href="/">继续购物</a></p>
    </main>`,
  });
}
