/**
 * Serving the metrics: `GET /metrics` in Prometheus' text format, guarded —
 * - on the gateway's own port only with a token (`SPAY_METRICS_TOKEN`; `Authorization: Bearer <token>`, compared
 *   in constant time); without a token configured it answers 404 there;
 * - and/or on a separate address (`SPAY_METRICS_ADDRESS`, e.g. 127.0.0.1:9464, reachable only by the scraper),
 *   which asks for the token too when one is configured.
 * Also the Fastify hooks that time every request by route and count open event streams.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { GatewayMetrics } from './gateway-metrics.ts';

export interface MetricsOptions {
  /** Bearer token a scraper must present (at least 16 characters). */
  token?: string;
  /** A separate address to serve /metrics on, away from the public port. */
  address?: { host: string; port: number };
}

const eventStreamRoute = '/2/rest/bill_public/:id/events';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Whether the request carries the token (constant time; false when no token is configured). */
export function carriesToken(authorization: string | undefined, token: string | undefined): boolean {
  if (!token || !authorization) return false;
  const match = /^Bearer\s+(.+)$/i.exec(authorization.trim());
  if (!match) return false;
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** Times every request by its route pattern and counts open event streams (callback hooks: no promise each). */
export function installRequestMetrics(app: FastifyInstance, metrics: GatewayMetrics): void {
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method === 'GET' && request.routeOptions.url === eventStreamRoute) {
      metrics.eventStreams.inc();
      reply.raw.once('close', () => metrics.eventStreams.dec());
    }
    done();
  });
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url;
    if (route === eventStreamRoute) {
      done();
      return;
    }
    metrics.httpDuration.observe(
      {
        method: request.method,
        // Unmatched paths (404s, scans) share one label: a path per label would grow without bound.
        route: route ?? 'unmatched',
        status_class: `${Math.floor(reply.statusCode / 100)}xx`,
      },
      reply.elapsedTime / 1000,
    );
    done();
  });
}

/** `GET /metrics` on the gateway's port: with the token only. */
export function registerMetricsRoute(
  app: FastifyInstance,
  metrics: GatewayMetrics,
  options: MetricsOptions,
): void {
  app.get('/metrics', async (request, reply) => {
    if (!options.token) {
      return reply.code(404).type('text/plain; charset=utf-8').send('metrics are not served on this port\n');
    }
    if (!carriesToken(request.headers.authorization, options.token)) {
      return reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="spay metrics"')
        .type('text/plain; charset=utf-8')
        .send('a metrics token is required\n');
    }
    const { contentType, body } = await metrics.exposition();
    return reply.header('cache-control', 'no-store').type(contentType).send(body);
  });
}

/** The separate metrics listener (only /metrics); resolves to its URL. */
export async function listenForMetrics(
  metrics: GatewayMetrics,
  options: MetricsOptions & { address: { host: string; port: number } },
): Promise<{ url: string; server: Server }> {
  const server = createServer((request: IncomingMessage, response) => {
    const path = (request.url ?? '').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return;
    }
    if (options.token && !carriesToken(request.headers.authorization, options.token)) {
      response
        .writeHead(401, { 'content-type': 'text/plain; charset=utf-8', 'www-authenticate': 'Bearer' })
        .end('a metrics token is required\n');
      return;
    }
    metrics.exposition().then(
      ({ contentType, body }) => {
        response.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' }).end(body);
      },
      () => {
        response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('metrics failed\n');
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.address.port, options.address.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const port = typeof bound === 'object' && bound !== null ? bound.port : options.address.port;
  const host = options.address.host.includes(':') ? `[${options.address.host}]` : options.address.host;
  return { url: `http://${host}:${port}`, server };
}
