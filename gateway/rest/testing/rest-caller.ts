/**
 * Test helpers for the REST API: signed requests exactly as a BeeCloud server SDK sends them (JSON bodies for
 * POST/PUT, `?para=` URL-encoded JSON for GET), with every part overridable to build bad requests, and a
 * snapshot of the gateway's money tables to prove a refused request changed nothing.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { restAppSign } from '../../../sdk/sign.ts';
import type { SeedApp } from '../../apps/app.ts';
import type { TestGateway } from '../../testing/gateway-harness.ts';

export type SecretName = 'appSecret' | 'masterSecret' | 'testSecret';

export interface RestCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  payload?: Record<string, unknown>;
  /** Which of the app's secrets signs (default: the one the endpoint expects, given by the caller). */
  secret?: SecretName;
  timestamp?: number;
  /** Replaces the whole body or query string (after `?`) as sent. */
  rawBody?: string;
  rawQuery?: string;
  contentType?: string;
  /** Sends plain query parameters instead of `para`. */
  plainQuery?: boolean;
  /** Leaves out app_id / timestamp / app_sign. */
  unsigned?: boolean;
  /** Extra HTTP headers (the v2 request signature's). */
  headers?: Record<string, string>;
}

export interface RestAnswer {
  status: number;
  json: Record<string, unknown>;
  text: string;
}

export function signedPayload(
  app: SeedApp,
  payload: Record<string, unknown>,
  secret: SecretName,
  timestamp = Date.now(),
): Record<string, unknown> {
  return {
    app_id: app.appId,
    timestamp,
    app_sign: restAppSign(app.appId, timestamp, app[secret]),
    ...payload,
  };
}

let lastTimestamp = 0;
/**
 * A fresh timestamp per request (never two in one millisecond): the gateway refuses a reused (timestamp,
 * app_sign) on the endpoints that move money out, as a merchant's server should never send one.
 */
export function uniqueTimestamp(): number {
  lastTimestamp = Math.max(Date.now(), lastTimestamp + 1);
  return lastTimestamp;
}

export async function rest(gateway: { url: string; app: SeedApp }, call: RestCall): Promise<RestAnswer> {
  const secret = call.secret ?? 'testSecret';
  const payload = call.unsigned
    ? (call.payload ?? {})
    : signedPayload(gateway.app, call.payload ?? {}, secret, call.timestamp ?? uniqueTimestamp());
  let url = `${gateway.url}/2/${call.path}`;
  const init: RequestInit = { method: call.method, headers: { ...call.headers } };
  if (call.method === 'GET' || call.method === 'DELETE') {
    if (call.rawQuery !== undefined) url += `?${call.rawQuery}`;
    else if (call.plainQuery) {
      url += `?${new URLSearchParams(Object.entries(payload).map(([k, v]) => [k, String(v)])).toString()}`;
    } else url += `?para=${encodeURIComponent(JSON.stringify(payload))}`;
  } else {
    init.headers = { 'content-type': call.contentType ?? 'application/json', ...call.headers };
    init.body = call.rawBody ?? JSON.stringify(payload);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Left empty: the test looks at text and status.
  }
  return { status: response.status, json, text };
}

/** Every row of the tables that hold money and its announcements, to compare before and after a request. */
export function moneySnapshot(gateway: TestGateway): string {
  const db = new Database(join(gateway.dataDir, 'gateway.sqlite'), { readonly: true });
  try {
    const tables = [
      'orders',
      'bills',
      'refunds',
      'bill_extras',
      'webhook_outbox',
      'transfers',
      'transfer_balances',
      'bill_currencies',
      'saved_cards',
    ];
    return JSON.stringify(
      tables.map((table) => db.prepare(`SELECT * FROM ${table} ORDER BY rowid`).all()),
      (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value),
    );
  } finally {
    db.close();
  }
}

let counter = 0;
export function newBillNo(): string {
  counter += 1;
  return `R${Date.now()}${String(counter).padStart(5, '0')}`;
}

/** Today's refund_no prefix (China date, as BeeCloud) followed by a unique serial. */
export function newRefundNo(): string {
  counter += 1;
  const china = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10).replaceAll('-', '');
  return `${china}${String(Date.now()).slice(-8)}${String(counter).padStart(5, '0')}`;
}

/**
 * A bill made through `POST /2/rest/bill` (WX_NATIVE unless the fields say otherwise) and paid through the
 * sandbox notify; returns its bill_no and id.
 */
export async function paidRestBill(
  gateway: { url: string; app: SeedApp },
  fields: Record<string, unknown>,
): Promise<{ billNo: string; id: string }> {
  const billNo = newBillNo();
  const made = await rest(gateway, {
    method: 'POST',
    path: 'rest/bill',
    payload: { channel: 'WX_NATIVE', bill_no: billNo, ...fields },
  });
  const id = String(made.json.id);
  const paid = await rest(gateway, { method: 'GET', path: `rest/sandbox/notify/${gateway.app.appId}/${id}` });
  if (paid.json.outcome !== 'paid') throw new Error(`the sandbox payment failed: ${paid.text}`);
  return { billNo, id };
}
