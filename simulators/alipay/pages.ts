/** The payer's pages: plain HTML forms (no scripts) that e2e tests click in Chromium. */
import type { SimOrder } from './simulator.ts';

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string,
  );

function layout(title: string, body: string): string {
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.2rem;color:#1677ff}.amount{font-size:2rem;margin:1rem 0}form{display:inline-block;margin-right:.5rem}
button{font-size:1rem;padding:.6rem 1.2rem;border-radius:.4rem;border:1px solid #1677ff;background:#fff;color:#1677ff}
button.pay{background:#1677ff;color:#fff}.note{color:#666;font-size:.85rem}</style></head>
<body>${body}</body></html>`;
}

export function cashierPage(order: SimOrder, kind: 'cashier' | 'scan'): string {
  const heading =
    kind === 'scan' ? '支付宝扫码付款 / Alipay scan to pay' : '支付宝收银台 / Alipay cashier (simulator)';
  const base = `/${kind}/${order.trade_no}`;
  const state =
    order.status === 'WAIT_BUYER_PAY'
      ? `<form method="post" action="${base}/pay"><button class="pay" type="submit">Pay ¥${order.total_amount} / 付款</button></form>
<form method="post" action="${base}/cancel"><button type="submit">Cancel / 取消</button></form>`
      : `<p class="status">${order.status === 'TRADE_CLOSED' ? '交易已关闭 / Trade closed' : '已付款 / Already paid'}</p>`;
  return layout(
    heading,
    `<h1>${heading}</h1>
<p class="subject">${escape(order.subject)}</p>
<p class="amount">¥${order.total_amount}</p>
${state}
<p class="note">Order ${escape(order.out_trade_no)} · trade ${order.trade_no}. This is the spay Alipay simulator; no money moves.</p>`,
  );
}

export function messagePage(title: string, detail: string): string {
  return layout(title, `<h1>${escape(title)}</h1><p>${escape(detail)}</p>`);
}
