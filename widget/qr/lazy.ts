/**
 * What the lazily loaded chunk (dist/widget/spay-qr.js, widget/qr/chunk.ts) offers the first script: everything
 * not needed before the payer picks a channel. The gateway client, the bill's creation and what follows it
 * (ui/payment.tsx: the QR panel with its countdown, bill status watcher and encoder, WeChat JSAPI, the return_url
 * of a paid QR bill), the payer notices for rare states, the redirect channels' hidden form, and the menu's 优惠券 row.
 */
import { createGatewayClient } from '../gateway.ts';
import { payerNotice } from '../notice-texts.ts';
import type { NoticeFinder } from '../notices.ts';
import { submitRedirect } from '../redirect.ts';
import { pay, paymentContent } from '../ui/payment.tsx';
import { couponMenu, loadCoupons } from '../ui/coupons.tsx';

export interface QrChunk {
  gateway: typeof createGatewayClient;
  pay: typeof pay;
  content: typeof paymentContent;
  notices: NoticeFinder;
  submit: typeof submitRedirect;
  /** The buyer's coupons (an order with a buyer_id) and the menu's 优惠券 row. */
  loadCoupons: typeof loadCoupons;
  couponMenu: typeof couponMenu;
}

export const qrChunk: QrChunk = {
  gateway: createGatewayClient,
  pay,
  content: paymentContent,
  notices: payerNotice,
  submit: submitRedirect,
  loadCoupons,
  couponMenu,
};
