/**
 * REST calls to the gateway signed the way a merchant's server signs them (app_sign from sdk/sign.ts): pay
 * (create a bill), the sandbox's "simulate payment", and public status reads.
 */
import type { SeedApp } from '../../gateway/apps/app.ts';
import { restAppSign } from '../../sdk/sign.ts';

export type Secret = 'app' | 'test' | 'master';

function secretOf(app: SeedApp, secret: Secret): string {
  return secret === 'app' ? app.appSecret : secret === 'test' ? app.testSecret : app.masterSecret;
}

/** `app_id`, `timestamp`, `app_sign` for one request. */
let lastTimestamp = 0;
/**
 * Date.now(), but never the same value twice in this process. Two requests signed in one millisecond share a legacy
 * app_sign (md5 of app_id + timestamp + secret), and on the endpoints that move money the gateway accepts one
 * (timestamp, app_sign) once (a replay guard): concurrent buyers resuming in the same timer tick would collide.
 */
export function freshTimestamp(): number {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return lastTimestamp;
}

export function signedAuth(app: SeedApp, secret: Secret, timestamp = freshTimestamp()) {
  return { app_id: app.appId, timestamp, app_sign: restAppSign(app.appId, timestamp, secretOf(app, secret)) };
}

let serial = 0;
/** A bill_no unique within this process: 8–32 letters and digits. */
export function uniqueBillNo(prefix = 'B'): string {
  serial += 1;
  return `${prefix}${process.pid}${Date.now().toString(36)}${serial.toString(36)}`.slice(0, 32);
}

export interface RestAnswer {
  status: number;
  text: string;
  json: Record<string, unknown>;
}

/** Sees every answer `callGateway` gets (the reliability suite scans them all for secrets). */
export const observedResponses: { listener?: (source: string, text: string) => void } = {};

export async function callGateway(
  url: string,
  init: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<RestAnswer> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: init.body !== undefined ? { 'content-type': 'application/json', ...init.headers } : init.headers,
    body: init.body,
  });
  const text = await response.text();
  observedResponses.listener?.(`${init.method ?? 'GET'} ${url}`, text);
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: callers look at status and text.
  }
  return { status: response.status, text, json };
}

export interface BillRequest {
  billNo?: string;
  totalFee?: number;
  title?: string;
  channel?: string;
  optional?: Record<string, unknown>;
  returnUrl?: string;
}

/** A bill creation's body, signed with `timestamp` (default: a fresh one, never used before in this process). */
export function payBody(app: SeedApp, bill: BillRequest = {}, timestamp?: number): Record<string, unknown> {
  return {
    ...signedAuth(app, 'app', timestamp),
    channel: bill.channel ?? 'WX_NATIVE',
    total_fee: bill.totalFee ?? 1,
    bill_no: bill.billNo ?? uniqueBillNo(),
    title: bill.title ?? 'bench order',
    ...(bill.optional ? { optional: bill.optional } : {}),
    ...(bill.returnUrl ? { return_url: bill.returnUrl } : {}),
  };
}

/**
 * A bill creation's body for a load, as JSON: signed with the clock's time. Bill creation accepts a (timestamp,
 * app_sign) more than once (only the endpoints that move money take each once), so thousands of requests a second
 * share their milliseconds, as a busy merchant server's do; fresh timestamps would run ahead of the clock by the
 * excess (11 s a second at 12,000 requests a second) until the gateway's ±300 s window refused the bench's later
 * requests.
 */
export function loadPayBody(app: SeedApp): string {
  return JSON.stringify(payBody(app, {}, Date.now()));
}

/** POST /2/rest/bill; returns the bill id (throws unless result_code is 0). */
export async function createBill(gatewayUrl: string, app: SeedApp, bill: BillRequest = {}) {
  const body = payBody(app, bill);
  const answer = await callGateway(`${gatewayUrl}/2/rest/bill`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  if (answer.json.result_code !== 0) throw new Error(`bill creation refused: ${answer.text}`);
  return { id: String(answer.json.id), billNo: String(body.bill_no), totalFee: Number(body.total_fee) };
}

/** GET /2/rest/sandbox/notify/{appId}/{billId}: the sandbox pays the bill as its channel would. */
export async function sandboxPay(gatewayUrl: string, app: SeedApp, billId: string): Promise<RestAnswer> {
  const auth = signedAuth(app, 'test');
  const query = new URLSearchParams({
    app_id: auth.app_id,
    timestamp: String(auth.timestamp),
    app_sign: auth.app_sign,
  });
  return callGateway(`${gatewayUrl}/2/rest/sandbox/notify/${app.appId}/${billId}?${query}`);
}

export async function publicBill(gatewayUrl: string, billId: string): Promise<Record<string, unknown>> {
  const answer = await callGateway(`${gatewayUrl}/2/rest/bill_public/${billId}`);
  return (answer.json.pay ?? {}) as Record<string, unknown>;
}
