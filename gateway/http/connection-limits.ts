/**
 * What one client can hold (issue 21 item 4): request and header timeouts, connections per IP and in total,
 * and event streams (SSE) per IP and in total. Without them a client sending a body one byte every 10 s kept its
 * connection for minutes, and ~1,100 slow connections or streams exhausted the process's file descriptors.
 *
 * - A request whose headers are not complete within `headersTimeoutMs`, or whose body is not complete within
 *   `requestTimeoutMs`, gets 408 and its connection is closed (Node checks every `checkIntervalMs`).
 * - A connection over the caps gets a 503 and is closed at once, before any request is read.
 * - An event stream over the caps gets BeeCloud's NETWORK_ERROR with HTTP 429.
 * Client IP = the TCP peer (a proxy in front should enforce its own per-client limits).
 */
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import { BeeCloudError } from '../errors/result-codes.ts';

export interface ConnectionLimits {
  /** Whole request (headers and body) must arrive within this (default 15 s). */
  requestTimeoutMs?: number;
  /** Headers must arrive within this (default 10 s). */
  headersTimeoutMs?: number;
  /** A connection with no traffic either way is closed after this (default 60 s; streams send a heartbeat every 15 s). */
  idleTimeoutMs?: number;
  /** An idle keep-alive connection is closed after this (default 10 s). */
  keepAliveTimeoutMs?: number;
  /** Open connections per client IP (default 256). */
  maxConnectionsPerIp?: number;
  /** Open connections in total (default: the process's file limit less a margin, at most 10,000). */
  maxConnections?: number;
  /** Open event streams per client IP (default 64). */
  maxEventStreamsPerIp?: number;
  /** Open event streams in total (default: half of maxConnections). */
  maxEventStreams?: number;
}

type Resolved = Required<ConnectionLimits>;

/** The soft limit on open files (Linux /proc), or 1024 where it cannot be read. */
function openFileLimit(): number {
  try {
    const limits = readFileSync('/proc/self/limits', 'utf8');
    const match = /^Max open files\s+(\d+|unlimited)/m.exec(limits);
    if (match) return match[1] === 'unlimited' ? 1_000_000 : Number(match[1]);
  } catch {
    // Not Linux: assume the common default.
  }
  return 1024;
}

export function resolveConnectionLimits(limits: ConnectionLimits = {}): Resolved {
  const maxConnections = limits.maxConnections ?? Math.max(64, Math.min(10_000, openFileLimit() - 128));
  const requestTimeoutMs = limits.requestTimeoutMs ?? 15_000;
  return {
    requestTimeoutMs,
    headersTimeoutMs: Math.min(limits.headersTimeoutMs ?? 10_000, requestTimeoutMs),
    idleTimeoutMs: limits.idleTimeoutMs ?? 60_000,
    keepAliveTimeoutMs: limits.keepAliveTimeoutMs ?? 10_000,
    maxConnectionsPerIp: limits.maxConnectionsPerIp ?? 256,
    maxConnections,
    maxEventStreamsPerIp: limits.maxEventStreamsPerIp ?? 64,
    maxEventStreams: limits.maxEventStreams ?? Math.floor(maxConnections / 2),
  };
}

/** The Fastify / node:http server options that carry the timeouts. */
export function serverTimeoutOptions(limits: Resolved): Partial<FastifyServerOptions> {
  return {
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      // Node looks for expired requests this often (default 30 s: far too coarse for the timeouts above).
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))),
    },
  } as Partial<FastifyServerOptions>;
}

class Counter {
  private readonly byKey = new Map<string, number>();
  total = 0;
  count(key: string): number {
    return this.byKey.get(key) ?? 0;
  }
  add(key: string): void {
    this.byKey.set(key, this.count(key) + 1);
    this.total += 1;
  }
  remove(key: string): void {
    const left = this.count(key) - 1;
    if (left <= 0) this.byKey.delete(key);
    else this.byKey.set(key, left);
    this.total -= 1;
  }
}

const eventStreamPath = /^\/2\/rest\/bill_public\/[^/?]+\/events(?:\?|$)/;

/** Counts connections and event streams on `app`'s server and refuses those over the caps. */
export function installConnectionLimits(app: FastifyInstance, limits: Resolved): void {
  const connections = new Counter();
  app.server.on('connection', (socket: Socket) => {
    const ip = socket.remoteAddress ?? '?';
    if (connections.total >= limits.maxConnections || connections.count(ip) >= limits.maxConnectionsPerIp) {
      socket.end(
        'HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\nretry-after: 5\r\ncontent-length: 0\r\n\r\n',
      );
      socket.destroySoon();
      return;
    }
    connections.add(ip);
    socket.once('close', () => connections.remove(ip));
  });

  const streams = new Counter();
  // A callback hook: the requests that are no event stream go on without a promise each.
  app.addHook('onRequest', (request, reply, done) => {
    if (request.method !== 'GET' || !eventStreamPath.test(request.url)) {
      done();
      return;
    }
    const ip = request.ip;
    if (streams.total >= limits.maxEventStreams || streams.count(ip) >= limits.maxEventStreamsPerIp) {
      done(
        new BeeCloudError(
          'NETWORK_ERROR',
          'events',
          'too many open event streams, poll the status instead',
          429,
        ),
      );
      return;
    }
    streams.add(ip);
    // The response closes when the stream ends, the client goes away or the route answered an error.
    reply.raw.once('close', () => streams.remove(ip));
    done();
  });
}
