/**
 * A plain node:http(s) OutboundHttp for tests that talk to a channel simulator on 127.0.0.1 (the gateway passes its
 * SSRF-guarded client instead). node:http, not fetch: fetch refuses some ports a free-port server can land on.
 * One connection per request (no keep-alive): a reused socket the server is closing fails at random.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { OutboundHttp, OutboundRequest, OutboundResponse } from '../channel.ts';

export class OutboundTimeoutError extends Error {
  readonly code = 'ETIMEDOUT';
  constructor(url: string, timeoutMs: number) {
    super(`no answer from ${url} within ${timeoutMs} ms`);
    this.name = 'OutboundTimeoutError';
  }
}

/** `maxTimeoutMs` caps the adapter's own timeout, so fault tests (a simulator that never answers) end fast. */
export function plainHttpClient(options: { maxTimeoutMs?: number } = {}): OutboundHttp {
  return (outbound: OutboundRequest) =>
    new Promise<OutboundResponse>((resolve, reject) => {
      const url = new URL(outbound.url);
      const timeoutMs = Math.min(outbound.timeoutMs ?? 10_000, options.maxTimeoutMs ?? Infinity);
      const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
      const headers: Record<string, string | number> = { ...outbound.headers };
      if (outbound.body !== undefined) headers['content-length'] = Buffer.byteLength(outbound.body);
      const req = send(url, { method: outbound.method, headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          clearTimeout(timer);
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(res.headers)) {
            if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({
            status: res.statusCode ?? 0,
            headers: responseHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      const timer = setTimeout(() => {
        req.destroy(new OutboundTimeoutError(outbound.url, timeoutMs));
      }, timeoutMs);
      req.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      req.end(outbound.body);
    });
}

/** The plain client with the adapter's own timeouts. */
export const plainHttp: OutboundHttp = plainHttpClient();
