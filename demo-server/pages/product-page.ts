/**
 * The product page of the seed tutorial's jsbutton.html: the widget's script from the gateway, a 1-fen product,
 * the "点我付款" button, and the signed order as a JSON data block that /assets/product.js hands to `BC.click`.
 */
import type { SignedButtonOrder } from '../../sdk/button-order.ts';
import { formatFen, html, jsonDataBlock, page, type Html } from './html.ts';

export interface ProductPageView {
  gatewayUrl: string;
  appId: string;
  order: SignedButtonOrder;
  /** Inside WeChat, paying goes by JSAPI with this openid. */
  inWeChat: boolean;
}

export function productPage(view: ProductPageView): Html {
  const scriptUrl = `${view.gatewayUrl}/1/pay/jsbutton/returnscripts?appId=${encodeURIComponent(view.appId)}`;
  return page({
    title: 'spay 演示商店',
    head: html`<script id="spay-script" src="${scriptUrl}"></script>`,
    body: html`<main id="container">
        <h1>spay 演示商店</h1>
        <p>这是秒支付 button 的示例应用（沙箱模式，不会真实扣款）。</p>
        <section class="product" aria-labelledby="product-title">
          <h2 id="product-title">${view.order.title}</h2>
          <p>1分钱支付测试</p>
          <p class="price">价格：<strong>${formatFen(view.order.amount)}</strong></p>
          <p class="order-no">订单号：<code>${view.order.out_trade_no}</code></p>
          ${view.inWeChat ? html`<p class="hint">在微信内打开：将使用微信公众号支付。</p>` : ''}
          <button id="test" type="button">点我付款</button>
          <p id="pay-message" class="message" role="status" hidden></p>
          <p id="pay-error" class="error" role="alert" hidden></p>
        </section>
        <p><a href="/orders">查看订单</a></p>
      </main>
      ${jsonDataBlock('spay-order', { order: view.order, ordersUrl: '/orders' })}`,
    scripts: ['/assets/pay-messages.js', '/assets/product.js'],
  });
}
