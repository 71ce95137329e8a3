/**
 * Rate limits, fixed one-minute windows kept in memory (one gateway process). Public endpoints per client IP: bill
 * creation and sandbox actions have a lower limit than reads (script, status, pages). The server-SDK API
 * (`/2/rest/*` but the button's and the status endpoints) per client IP and per app (`app_id` of the body or of
 * `para`; only requests that passed authentication count against an app, so naming it spends nothing). Over a limit: HTTP 429 with Retry-After and a BeeCloud answer naming `rate`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BeeCloudError } from '../errors/result-codes.ts';

export interface RateLimitOptions {
  /** Bill creations and sandbox actions per IP per minute (default 600). */
  writesPerMinute?: number;
  /** Script, asset, status and page reads per IP per minute (default 6000). */
  readsPerMinute?: number;
  /** Server-SDK API (`/2/rest/*`) requests per IP per minute (default 3000). */
  restPerMinutePerIp?: number;
  /** Server-SDK API requests per app per minute, from any IP (default 6000). */
  restPerMinutePerApp?: number;
}

type Bucket = 'write' | 'read' | 'rest';

/** The server SDKs' API: `/2/rest/*` and the subscription / auth paths BeeCloud kept outside it. */
export function isServerSdkPath(path: string): boolean {
  return (
    path.startsWith('/2/rest/') || /^\/2\/(plan|subscription|subscription_banks|sms|auth)(\/|$)/.test(path)
  );
}

const windowMs = 60_000;

export function bucketOf(request: FastifyRequest): Bucket | undefined {
  const path = request.url.split('?')[0] ?? '';
  if (request.method === 'OPTIONS' || path === '/healthz') return undefined;
  if (path.startsWith('/2/rest/jsbutton/')) return 'write';
  if (path.startsWith('/sandbox/') && request.method === 'POST') return 'write';
  if (path.startsWith('/1/pay/') || path.startsWith('/2/rest/bill_public/') || path.startsWith('/sandbox/')) {
    return 'read';
  }
  if (isServerSdkPath(path)) return 'rest';
  return undefined;
}

/** The app a REST request names (body `app_id`, or `app_id` inside the GET's `para` JSON); undefined if none. */
function restAppId(request: FastifyRequest): string | undefined {
  const body = request.body as { app_id?: unknown } | undefined;
  if (body && typeof body === 'object' && typeof body.app_id === 'string') return body.app_id.slice(0, 64);
  const query = request.query as { para?: unknown; app_id?: unknown } | undefined;
  if (typeof query?.app_id === 'string') return query.app_id.slice(0, 64);
  if (typeof query?.para !== 'string') return undefined;
  try {
    const para = JSON.parse(query.para) as { app_id?: unknown };
    return typeof para?.app_id === 'string' ? para.app_id.slice(0, 64) : undefined;
  } catch {
    return undefined;
  }
}

export function installRateLimits(app: FastifyInstance, options: RateLimitOptions = {}): void {
  const limits: Record<Bucket | 'app', number> = {
    write: options.writesPerMinute ?? 600,
    read: options.readsPerMinute ?? 6000,
    rest: options.restPerMinutePerIp ?? 3000,
    app: options.restPerMinutePerApp ?? 6000,
  };
  const windows = new Map<string, { start: number; count: number }>();
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [key, window] of windows) if (now - window.start >= windowMs) windows.delete(key);
  }, windowMs);
  sweeper.unref();
  app.addHook('onClose', async () => clearInterval(sweeper));

  /** Counts one request against `key`; throws the 429 answer when over `limit`. */
  function take(key: string, limit: number, reply: FastifyReply): void {
    const now = Date.now();
    let window = windows.get(key);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count > limit) {
      reply.header('retry-after', String(Math.ceil((window.start + windowMs - now) / 1000)));
      throw new BeeCloudError(
        'NETWORK_ERROR',
        'rate',
        `more than ${limit} requests a minute, slow down`,
        429,
      );
    }
  }

  app.addHook('onRequest', async (request, reply) => {
    const bucket = bucketOf(request);
    if (bucket) take(`${bucket}:${request.ip}`, limits[bucket], reply);
  });
  // Per app once the body is parsed (an app's servers may call from many IPs). Only requests that passed
  // authentication count: anyone can name an app_id, and must not spend that app's budget.
  app.addHook('preHandler', async (request, reply) => {
    if (bucketOf(request) !== 'rest') return;
    const appId = restAppId(request);
    if (appId === undefined) return;
    const window = windows.get(`app:${appId}`);
    if (window && Date.now() - window.start < windowMs && window.count >= limits.app) {
      take(`app:${appId}`, limits.app, reply);
    }
  });
  app.addHook('onSend', async (request, reply, payload) => {
    if (bucketOf(request) !== 'rest' || reply.statusCode === 429) return payload;
    const appId = restAppId(request);
    if (appId === undefined || (typeof payload === 'string' && failedAuthentication(payload))) return payload;
    const now = Date.now();
    let window = windows.get(`app:${appId}`);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      windows.set(`app:${appId}`, window);
    }
    window.count += 1;
    return payload;
  });
}

/** A BeeCloud answer refusing the request's credentials (APP_INVALID, or app_id / timestamp / app_sign at fault). */
function failedAuthentication(payload: string): boolean {
  const head = payload.slice(0, 400);
  return /"result_msg":"APP_INVALID"/.test(head) || /"err_detail":"(app_id|timestamp|app_sign): /.test(head);
}
