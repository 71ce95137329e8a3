/** The widget's HTTP calls to the gateway (docs/contracts.md, "Widget ⇄ gateway"): JSON POST with CORS. */
import type { ButtonCoupon, PaymentAction } from '../sdk/button-types.ts';
import { networkError } from './notices.ts';
import type { DataError, Order, PublicBill } from './types.ts';

export interface RedirectBill {
  kind: 'redirect';
  id: string;
  url: string;
  method: string;
  param: Record<string, unknown>;
  guideUrl?: string;
}
export interface QrBill {
  kind: 'qr';
  id: string;
  codeUrl: string;
  totalFee: number;
  expiresAt: number;
}
export interface JsapiBill {
  kind: 'jsapi';
  id: string;
  /** The gateway's answer: app_id, timestamp, nonce_str, package, sign_type, pay_sign. */
  answer: Record<string, unknown>;
}
export interface RejectedBill {
  kind: 'rejected';
  error: DataError;
}
export type CreatedBill = RedirectBill | QrBill | JsapiBill | RejectedBill;

export type FetchFn = (input: string, init?: RequestInit) => Promise<Response>;

export interface GatewayClient {
  createBill(restChannel: string, order: Order, signal?: AbortSignal): Promise<CreatedBill>;
  billStatus(billId: string, signal?: AbortSignal): Promise<PublicBill>;
  statusStreamUrl(billId: string): string;
  /** The buyer's coupons for the order (its buyer_id); [] when they cannot be had. */
  coupons(order: Order, signal?: AbortSignal): Promise<ButtonCoupon[]>;
}

export { networkError };

/** The gateway's error answer → a DataError: `err_detail` starts with the field name ("amount: …"). */
export function rejection(answer: Record<string, unknown>): DataError {
  const detail = typeof answer.err_detail === 'string' && answer.err_detail ? answer.err_detail : '';
  const code =
    typeof answer.result_msg === 'string' && answer.result_msg ? answer.result_msg : 'RUNTIME_ERROR';
  const field = /^([A-Za-z_][\w.]*):/.exec(detail)?.[1] ?? '';
  return { code, field, message: detail || code };
}

export function orderBody(order: Order, appId: string, includeOpenid: boolean): Record<string, unknown> {
  const body: Record<string, unknown> = {
    appId,
    title: order.title,
    amount: order.amount,
    out_trade_no: order.outTradeNo,
    sign: order.sign,
  };
  if (order.signType) body.sign_type = order.signType;
  if (order.returnUrl) body.return_url = order.returnUrl;
  if (order.optional) body.optional = order.optional;
  if (includeOpenid && order.openid) body.openid = order.openid;
  if (order.billTimeout) body.bill_timeout = order.billTimeout;
  if (order.buyerId) body.buyer_id = order.buyerId;
  if (order.couponId) body.coupon_id = order.couponId;
  return body;
}

function text(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

function param(answer: Record<string, unknown>): Record<string, unknown> {
  return typeof answer.param === 'object' && answer.param !== null
    ? (answer.param as Record<string, unknown>)
    : {};
}

/**
 * The action the gateway names → what the widget does with it (as Adyen Web's `actionTypes`): redirect to a
 * cashier, show a QR code, or call WeChat's JSAPI. The widget never guesses the action from the channel name.
 */
export const actionTypes: Record<
  PaymentAction,
  (id: string, answer: Record<string, unknown>) => CreatedBill
> = {
  redirect: (id, answer) => ({
    kind: 'redirect',
    id,
    url: text(answer.url),
    method: text(answer.method) || 'GET',
    param: param(answer),
    guideUrl: typeof answer.guide_url === 'string' ? answer.guide_url : undefined,
  }),
  qr: (id, answer) => ({
    kind: 'qr',
    id,
    codeUrl: text(answer.code_url),
    totalFee: Number(answer.total_fee),
    expiresAt: Number(answer.expires_at),
  }),
  jsapi: (id, answer) => ({ kind: 'jsapi', id, answer }),
};

/** The gateway's bill-creation answer (sdk/button-types.ts) → what the widget does next. */
export function classifyAnswer(answer: Record<string, unknown>): CreatedBill {
  const code = answer.resultCode ?? answer.result_code;
  if (code !== 0) return { kind: 'rejected', error: rejection(answer) };
  const action = answer.action as PaymentAction;
  const handle = Object.prototype.hasOwnProperty.call(actionTypes, action) ? actionTypes[action] : undefined;
  if (!handle) {
    return {
      kind: 'rejected',
      error: { code: 'RUNTIME_ERROR', field: 'action', message: `action: ${text(action)} is not known` },
    };
  }
  return handle(text(answer.id), answer);
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const body: unknown = await response.json();
  if (typeof body !== 'object' || body === null)
    throw new Error('the gateway answered something other than JSON');
  return body as Record<string, unknown>;
}

export function createGatewayClient(
  baseUrl: string,
  appId: string,
  fetchFn: FetchFn = (input, init) => fetch(input, init),
): GatewayClient {
  const base = baseUrl.replace(/\/+$/, '');
  return {
    async createBill(restChannel, order, signal) {
      let answer: Record<string, unknown>;
      try {
        const response = await fetchFn(`${base}/2/rest/jsbutton/${encodeURIComponent(restChannel)}`, {
          method: 'POST',
          // JSON as text/plain: a CORS "simple request", so no preflight round trip at the payer's click.
          headers: { 'content-type': 'text/plain;charset=UTF-8' },
          body: JSON.stringify(orderBody(order, appId, restChannel === 'WX_JSAPI')),
          signal,
        });
        answer = await readJson(response);
      } catch (error) {
        if (signal?.aborted) throw error;
        return {
          kind: 'rejected',
          error: networkError(`the payment gateway could not be reached (${String(error)})`),
        };
      }
      return classifyAnswer(answer);
    },
    async billStatus(billId, signal) {
      const response = await fetchFn(`${base}/2/rest/bill_public/${encodeURIComponent(billId)}`, { signal });
      const answer = await readJson(response);
      if (answer.result_code !== 0 || typeof answer.pay !== 'object' || answer.pay === null) {
        throw new Error(`bill status: ${text(answer.result_msg)} ${text(answer.err_detail)}`);
      }
      return answer.pay as PublicBill;
    },
    statusStreamUrl(billId) {
      return `${base}/2/rest/bill_public/${encodeURIComponent(billId)}/events`;
    },
    async coupons(order, signal) {
      const response = await fetchFn(`${base}/2/rest/jsbutton/coupons`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify(orderBody({ ...order, couponId: undefined }, appId, false)),
        signal,
      });
      const answer = await readJson(response);
      return answer.result_code === 0 && Array.isArray(answer.coupons)
        ? (answer.coupons as ButtonCoupon[])
        : [];
    },
  };
}
