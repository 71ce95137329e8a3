/**
 * One signed REST request to the gateway: `app_id`, `timestamp` (ms) and `app_sign` added to the payload; JSON
 * bodies for POST/PUT, `?para=` URL-encoded JSON for GET; a timeout; every outcome turned into a `SpayResult`.
 * Every request also carries spay's v2 request signature (X-Spay-Timestamp, X-Spay-Nonce, X-Spay-Signature:
 * HMAC-SHA256 over method, path, app_id, timestamp, a fresh nonce and the body), which the gateway checks when
 * present and an app can require; BeeCloud's legacy app_sign alone covers only app_id + timestamp.
 */
import { restSecretFor, type RequestPurpose, type SpayApp } from './app.ts';
import { networkFailure, type Failure, type SpayResult } from './result.ts';
import { randomBytes } from 'node:crypto';
import { REQUEST_SIGNATURE_HEADERS, restAppSign, restRequestSignature } from './sign.ts';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface TransportOptions {
  /** Milliseconds before a request is abandoned (default 10 000). */
  timeoutMs?: number;
  /** The clock, in milliseconds (tests). */
  now?: () => number;
  /** The fetch to use (default the global one). */
  fetch?: typeof fetch;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export interface RestRequest {
  method: HttpMethod;
  /** Below `/2/`, e.g. `rest/bill`. */
  path: string;
  purpose: RequestPurpose;
  payload?: Record<string, unknown>;
}

/** Drops undefined fields, so an unset option is not sent as `null`. */
function definedFields(payload: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(payload).filter(([, value]) => value !== undefined));
}

export async function sendRestRequest<T>(
  app: SpayApp,
  request: RestRequest,
  options: TransportOptions = {},
): Promise<SpayResult<T>> {
  const timestamp = (options.now ?? Date.now)();
  const secret = restSecretFor(app, request.purpose);
  const signed = {
    ...definedFields(request.payload ?? {}),
    app_id: app.appId,
    timestamp,
    app_sign: restAppSign(app.appId, timestamp, secret),
  };
  let pathAndQuery = `/2/${request.path}`;
  let body = '';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (request.method === 'GET' || request.method === 'DELETE') {
    pathAndQuery += `?para=${encodeURIComponent(JSON.stringify(signed))}`;
  } else {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(signed);
  }
  const nonce = randomBytes(16).toString('base64url');
  headers[REQUEST_SIGNATURE_HEADERS.timestamp] = String(timestamp);
  headers[REQUEST_SIGNATURE_HEADERS.nonce] = nonce;
  headers[REQUEST_SIGNATURE_HEADERS.signature] = restRequestSignature(
    { method: request.method, pathAndQuery, appId: app.appId, timestamp, nonce, body },
    secret,
  );
  const url = `${app.gatewayUrl.replace(/\/+$/, '')}${pathAndQuery}`;
  const init: RequestInit = { method: request.method, headers };
  if (request.method !== 'GET' && request.method !== 'DELETE') init.body = body;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  init.signal = AbortSignal.timeout(timeoutMs);

  let response: Response;
  let text: string;
  try {
    response = await (options.fetch ?? fetch)(url, init);
    text = await response.text();
  } catch (error) {
    const name = error instanceof Error ? error.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return networkFailure(`no answer from ${request.method} /2/${request.path} within ${timeoutMs} ms`);
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return networkFailure(
      `${request.method} /2/${request.path} failed${cause || (error instanceof Error ? `: ${error.message}` : '')}`,
    );
  }
  return interpretAnswer<T>(response.status, text, request);
}

function interpretAnswer<T>(status: number, text: string, request: RestRequest): SpayResult<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return {
      ...networkFailure(`${request.method} /2/${request.path} answered HTTP ${status} without JSON`),
      http_status: status,
    };
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return {
      ...networkFailure(`${request.method} /2/${request.path} answered HTTP ${status} with a non-object`),
      http_status: status,
    };
  }
  const record = body as Record<string, unknown>;
  const code = typeof record.result_code === 'number' ? record.result_code : undefined;
  if (code === 0 && status < 400) {
    return {
      ...(record as T),
      ok: true,
      result_code: 0,
      result_msg: stringOr(record.result_msg, 'OK'),
      err_detail: stringOr(record.err_detail, ''),
    };
  }
  const failure: Failure = {
    ok: false,
    result_code: code === undefined || code === 0 ? 14 : code,
    result_msg: stringOr(record.result_msg, code === undefined ? 'RUNTIME_ERROR' : ''),
    err_detail: stringOr(record.err_detail, code === undefined ? `HTTP ${status} without a result_code` : ''),
    http_status: status,
  };
  return failure;
}

function stringOr(value: unknown, fallback: string): string {
  return typeof value === 'string' ? value : fallback;
}
