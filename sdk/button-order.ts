/**
 * The button's order: what a merchant's server puts in the page for `BC.click(data)`, with the `sign` that only
 * the server can compute (it needs the app secret, which never reaches the browser).
 */
import type { SpayApp } from './app.ts';
import { buttonOrderSign } from './sign.ts';

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
}

export interface SignedButtonOrder extends ButtonOrder {
  sign: string;
}

/** Signs an order for `BC.click`: md5(appId + title + amount + out_trade_no + appSecret), 32 lowercase hex. */
export function signButtonOrder(
  app: Pick<SpayApp, 'appId' | 'appSecret'>,
  order: ButtonOrder,
): SignedButtonOrder {
  if (!Number.isInteger(order.amount) || order.amount <= 0) {
    throw new RangeError(`amount: must be an integer number of fen > 0, got ${String(order.amount)}`);
  }
  if (!/^[A-Za-z0-9]{8,32}$/.test(order.out_trade_no)) {
    throw new RangeError('out_trade_no: must be 8–32 letters or digits');
  }
  return {
    ...order,
    sign: buttonOrderSign(app.appId, order.title, order.amount, order.out_trade_no, app.appSecret),
  };
}

/** A fresh out_trade_no: 32 letters and digits (a UUID without dashes, as the seed tutorial does). */
export function newOutTradeNo(): string {
  return crypto.randomUUID().replace(/-/g, '');
}
