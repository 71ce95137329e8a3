/** The gateway's default result page (used when the merchant gave no return_url) and the Alipay-in-WeChat guide. */
import type { Bill } from '../bills/bill.ts';
import { formatYuan, html, page } from './html.ts';

export type ResultOutcome = 'paid' | 'failed' | 'cancelled' | 'refunding';

const headings: Record<ResultOutcome, string> = {
  paid: '支付成功',
  failed: '支付失败',
  cancelled: '支付已取消',
  refunding: '订单已关闭，款项将原路退回',
};

export function outcomeOf(bill: Bill, requested: string | undefined): ResultOutcome {
  if (bill.status === 'paid') return 'paid';
  if (bill.refundRequired) return 'refunding';
  if (requested === 'failed') return 'failed';
  return 'cancelled';
}

export function resultPage(bill: Bill, outcome: ResultOutcome, retryUrl: string | null): string {
  return page(
    headings[outcome],
    html`<h1 data-outcome="${outcome}">${headings[outcome]}</h1>
      <dl>
        <dt>商品</dt>
        <dd>${bill.title}</dd>
        <dt>金额</dt>
        <dd class="amount">${formatYuan(bill.totalFee)}</dd>
        <dt>订单号</dt>
        <dd>${bill.billNo}</dd>
        ${
          bill.status === 'paid'
            ? html`<dt>交易号</dt>
                <dd>${bill.tradeNo ?? ''}</dd>`
            : ''
        }
      </dl>
      ${retryUrl ? html`<p><a class="button" href="${retryUrl}">重新支付</a></p>` : ''}`,
  );
}

/** Shown inside WeChat, where Alipay cannot open: the payer must open the page in the system browser. */
export function alipayGuidePage(bill: Bill): string {
  return page(
    '请在浏览器中打开',
    html`<div class="guide-arrow" aria-hidden="true">↗</div>
      <h1>请点击右上角菜单，选择在浏览器中打开</h1>
      <p class="notice">微信内无法使用支付宝付款。在浏览器中打开本页后将继续支付。</p>
      <dl>
        <dt>商品</dt>
        <dd>${bill.title}</dd>
        <dt>金额</dt>
        <dd class="amount">${formatYuan(bill.totalFee)}</dd>
      </dl>`,
  );
}
