/**
 * Rate limits on the public endpoints, per client IP and fixed one-minute windows, kept in memory (one gateway
 * process). Bill creation and sandbox actions have a lower limit than reads (script, status, pages). Over the
 * limit: HTTP 429 with Retry-After and a BeeCloud answer naming `rate`.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { BeeCloudError } from '../errors/result-codes.ts';

export interface RateLimitOptions {
  /** Bill creations and sandbox actions per IP per minute (default 600). */
  writesPerMinute?: number;
  /** Script, asset, status and page reads per IP per minute (default 6000). */
  readsPerMinute?: number;
}

type Bucket = 'write' | 'read';

const windowMs = 60_000;

export function bucketOf(request: FastifyRequest): Bucket | undefined {
  const path = request.url.split('?')[0] ?? '';
  if (request.method === 'OPTIONS' || path === '/healthz') return undefined;
  if (path.startsWith('/2/rest/jsbutton/')) return 'write';
  if (path.startsWith('/sandbox/') && request.method === 'POST') return 'write';
  if (path.startsWith('/1/pay/') || path.startsWith('/2/rest/bill_public/') || path.startsWith('/sandbox/')) {
    return 'read';
  }
  return undefined;
}

export function installRateLimits(app: FastifyInstance, options: RateLimitOptions = {}): void {
  const limits: Record<Bucket, number> = {
    write: options.writesPerMinute ?? 600,
    read: options.readsPerMinute ?? 6000,
  };
  const windows = new Map<string, { start: number; count: number }>();
  const sweeper = setInterval(() => {
    const now = Date.now();
    for (const [key, window] of windows) if (now - window.start >= windowMs) windows.delete(key);
  }, windowMs);
  sweeper.unref();
  app.addHook('onClose', async () => clearInterval(sweeper));

  app.addHook('onRequest', async (request, reply) => {
    const bucket = bucketOf(request);
    if (!bucket) return;
    const key = `${bucket}:${request.ip}`;
    const now = Date.now();
    let window = windows.get(key);
    if (!window || now - window.start >= windowMs) {
      window = { start: now, count: 0 };
      windows.set(key, window);
    }
    window.count += 1;
    if (window.count > limits[bucket]) {
      reply.header('retry-after', String(Math.ceil((window.start + windowMs - now) / 1000)));
      throw new BeeCloudError(
        'NETWORK_ERROR',
        'rate',
        `more than ${limits[bucket]} requests a minute, slow down`,
        429,
      );
    }
  });
}
