/**
 * The button's order: what a merchant's server puts in the page for `BC.click(data)`, with the `sign` that only
 * the server can compute (it needs the app secret, which never reaches the browser).
 */
import type { SpayApp } from './app.ts';
import { BUTTON_SIGN_TYPE_V2, buttonOrderSign, buttonOrderSignV2 } from './sign.ts';

export type OptionalValue = string | number | boolean;

export interface ButtonOrder {
  title: string;
  /** Integer fen (分), > 0. */
  amount: number;
  /** 8–32 letters and digits, unique per app. */
  out_trade_no: string;
  return_url?: string;
  optional?: Record<string, OptionalValue>;
  openid?: string;
  /** Seconds the payer has to pay (1 s – 30 days). */
  bill_timeout?: number;
  /**
   * The merchant's user (a registered buyer_id): the button offers the buyer's coupons (优惠券). Only with the
   * v2 sign, which covers it.
   */
  buyer_id?: string;
}

export interface SignedButtonOrder extends ButtonOrder {
  sign: string;
  /** "HMAC-SHA256" for the v2 sign; absent for the legacy md5 sign. */
  sign_type?: typeof BUTTON_SIGN_TYPE_V2;
}

function checkOrder(order: ButtonOrder): void {
  if (!Number.isInteger(order.amount) || order.amount <= 0) {
    throw new RangeError(`amount: must be an integer number of fen > 0, got ${String(order.amount)}`);
  }
  if (!/^[A-Za-z0-9]{8,32}$/.test(order.out_trade_no)) {
    throw new RangeError('out_trade_no: must be 8–32 letters or digits');
  }
}

/**
 * Signs an order for `BC.click` with spay's v2 sign (use this one): HMAC-SHA256 with the app secret over the
 * named fields appId, title, amount, out_trade_no, return_url, optional, bill_timeout and buyer_id (`buttonOrderSignV2`),
 * with `sign_type: "HMAC-SHA256"`. Nobody can re-split the order or change where the payer returns to.
 */
export function signButtonOrderV2(
  app: Pick<SpayApp, 'appId' | 'appSecret'>,
  order: ButtonOrder,
): SignedButtonOrder {
  checkOrder(order);
  const sign = buttonOrderSignV2(
    {
      appId: app.appId,
      title: order.title,
      amount: order.amount,
      outTradeNo: order.out_trade_no,
      returnUrl: order.return_url ?? null,
      optional: order.optional ?? null,
      billTimeout: order.bill_timeout ?? null,
      buyerId: order.buyer_id ?? null,
    },
    app.appSecret,
  );
  return { ...order, sign, sign_type: BUTTON_SIGN_TYPE_V2 };
}

/**
 * Signs an order for `BC.click` with BeeCloud's legacy sign: md5(appId + title + amount + out_trade_no +
 * appSecret), 32 lowercase hex. Weak: the fields are not separated, so a payer can move digits between title and
 * amount ({"Book", 1234} and {"Book123", 4} share a sign), and return_url / optional are not covered. Prefer
 * `signButtonOrderV2`; with the legacy sign, check `transaction_fee` in the webhook against your order.
 */
export function signButtonOrder(
  app: Pick<SpayApp, 'appId' | 'appSecret'>,
  order: ButtonOrder,
): SignedButtonOrder {
  checkOrder(order);
  return {
    ...order,
    sign: buttonOrderSign(app.appId, order.title, order.amount, order.out_trade_no, app.appSecret),
  };
}

/** A fresh out_trade_no: 32 letters and digits (a UUID without dashes, as the seed tutorial does). */
export function newOutTradeNo(): string {
  return crypto.randomUUID().replace(/-/g, '');
}
