/**
 * The menu's 优惠券 row for an order with a buyer_id, shipped in the lazy chunk (qr/lazy.ts): fetching the buyer's
 * coupons, the row itself, and what the payer's pick takes off the total. The first script's Checkout asks for it
 * (`couponMenu`) when it draws the menu, once the chunk is here.
 */
import { render } from 'preact';
import { CouponRow } from '../components/CouponRow/CouponRow.tsx';
import { couponTexts } from '../components/CouponRow/coupon-texts.ts';
import type { GatewayClient } from '../gateway.ts';
import { formatFen } from '../money.ts';
import type { Order } from '../types.ts';
import type { Checkout } from './Checkout.ts';

/** The gateway client of this dialog (made once, from the chunk's gateway.ts). */
export function clientOf(checkout: Checkout): GatewayClient {
  return (checkout.client ??= checkout.props.gateway(checkout.chunk!));
}

/** The order as it is paid: with the payer's coupon, if any. */
export function payingOrder(checkout: Checkout): Order {
  const { couponId } = checkout.state;
  return couponId ? { ...checkout.props.order, couponId } : checkout.props.order;
}

/** Fetches the buyer's coupons while the payer reads the menu (nothing shows when they cannot be had). */
export function loadCoupons(checkout: Checkout): Promise<void> {
  return clientOf(checkout)
    .coupons(checkout.props.order)
    .then(
      (coupons) => checkout.setState({ coupons }),
      () => undefined,
    );
}

/**
 * Draws the menu's 优惠券 row into `slot` (again on each change: Preact keeps the focused radio); returns the amount
 * its coupon takes off and the note after the total, undefined without coupons.
 */
export function couponMenu(checkout: Checkout, slot: HTMLElement) {
  const { coupons, couponId } = checkout.state;
  if (!coupons?.length) return;
  const { locale } = checkout.props;
  const discount = coupons.find((coupon) => coupon.id === couponId)?.discount ?? 0;
  render(
    <CouponRow
      coupons={coupons}
      chosen={couponId}
      locale={locale}
      onChoose={(id) => checkout.setState({ couponId: id })}
    />,
    slot,
  );
  return { discount, note: discount ? couponTexts(locale).saved(formatFen(discount)) : undefined };
}
