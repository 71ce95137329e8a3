/** The sandbox's pages: the cashier (ALI_*, UN_*, WX_WAP), the scan page (WX_NATIVE, ALI_QRCODE), simple notices. */
import type { Bill } from '../bills/bill.ts';
import { channelInfo } from '../channels/channels.ts';
import { formatYuan, html, page, type SafeHtml } from '../pages/html.ts';

const statusText: Record<Bill['status'], string> = {
  open: '待支付',
  paid: '已支付',
  closed: '订单已关闭',
  expired: '订单已过期',
};

function billFacts(bill: Bill): SafeHtml {
  return html`<dl>
    <dt>商品</dt>
    <dd data-field="title">${bill.title}</dd>
    <dt>金额</dt>
    <dd class="amount" data-field="amount">${formatYuan(bill.totalFee)}</dd>
    <dt>订单号</dt>
    <dd data-field="bill_no">${bill.billNo}</dd>
    <dt>状态</dt>
    <dd data-field="status">${statusText[bill.status]}</dd>
  </dl>`;
}

export function cashierPage(bill: Bill): string {
  const info = channelInfo(bill.subChannel);
  const action = (verb: string) => `/sandbox/cashier/${bill.id}/${verb}`;
  const actions =
    bill.status === 'open'
      ? html`<div class="actions">
          <form method="post" action="${action('pay')}">
            <button class="primary" type="submit">支付</button>
          </form>
          <form method="post" action="${action('fail')}"><button type="submit">支付失败</button></form>
          <form method="post" action="${action('cancel')}"><button type="submit">取消支付</button></form>
        </div>`
      : html`<p class="notice" role="status">${statusText[bill.status]}</p>`;
  return page(
    `${info.label} · 沙箱收银台`,
    html`<span class="sandbox">沙箱环境 · ${info.label}</span>
      <h1>${info.label}收银台</h1>
      ${billFacts(bill)} ${actions}`,
  );
}

export function wxScanPage(bill: Bill): string {
  const info = channelInfo(bill.subChannel);
  const scan = info.family === 'ALI' ? 'ali' : 'wx';
  const actions =
    bill.status === 'open'
      ? html`<div class="actions">
          <form method="post" action="/sandbox/${scan}/scan/${bill.id}/pay">
            <button class="primary" type="submit">确认支付</button>
          </form>
          <form method="post" action="/sandbox/${scan}/scan/${bill.id}/cancel">
            <button type="submit">取消</button>
          </form>
        </div>`
      : html`<p class="notice" role="status">${statusText[bill.status]}</p>`;
  return page(
    `${info.label} · 沙箱`,
    html`<span class="sandbox">沙箱环境 · ${info.family === 'ALI' ? '支付宝扫码' : '微信扫码'}</span>
      <h1>${info.label}</h1>
      ${billFacts(bill)} ${actions}`,
  );
}

export function noticePage(title: string, message: string, bill?: Bill): string {
  return page(
    title,
    html`<h1>${title}</h1>
      <p class="notice" role="status">${message}</p>
      ${bill ? billFacts(bill) : ''}`,
  );
}

/** The sandbox's PayPal approval page (PAYPAL_PAYPAL): the amount in its currency, Approve or Cancel. */
export function paypalApprovalPage(bill: Bill, amount: string): string {
  const action = (verb: string) => `/sandbox/paypal/approve/${bill.id}/${verb}`;
  const state: Record<Bill['status'], string> = {
    open: 'Waiting for approval',
    paid: 'Paid',
    closed: 'Cancelled',
    expired: 'Expired',
  };
  const actions =
    bill.status === 'open'
      ? html`<div class="actions">
          <form method="post" action="${action('approve')}">
            <button class="primary" type="submit">Approve and pay</button>
          </form>
          <form method="post" action="${action('cancel')}"><button type="submit">Cancel</button></form>
        </div>`
      : html`<p class="notice" role="status">${state[bill.status]}</p>`;
  return page(
    'PayPal · sandbox',
    html`<span class="sandbox">Sandbox · PayPal</span>
      <h1>Pay with PayPal</h1>
      <dl>
        <dt>Item</dt>
        <dd data-field="title">${bill.title}</dd>
        <dt>Amount</dt>
        <dd class="amount" data-field="amount">${amount}</dd>
        <dt>Order</dt>
        <dd data-field="bill_no">${bill.billNo}</dd>
        <dt>Status</dt>
        <dd data-field="status">${state[bill.status]}</dd>
      </dl>
      ${actions}`,
  );
}
