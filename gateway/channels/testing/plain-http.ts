/**
 * A plain node:http(s) OutboundHttp for tests (the gateway passes its SSRF-guarded client instead). node:http
 * rather than fetch, which refuses some ports a free-port test server can land on.
 */
import http from 'node:http';
import https from 'node:https';
import type { OutboundHttp, OutboundResponse } from '../channel.ts';

export const plainHttp: OutboundHttp = (request) =>
  new Promise<OutboundResponse>((resolve, reject) => {
    const url = new URL(request.url);
    const client = url.protocol === 'https:' ? https : http;
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const headers: Record<string, string | number> = { ...request.headers };
    if (body) headers['content-length'] = body.length;
    const outgoing = client.request(url, { method: request.method, headers }, (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        const responseHeaders: Record<string, string> = {};
        for (const [name, value] of Object.entries(incoming.headers)) {
          if (value !== undefined) responseHeaders[name] = Array.isArray(value) ? value.join(', ') : value;
        }
        resolve({
          status: incoming.statusCode ?? 0,
          headers: responseHeaders,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    outgoing.setTimeout(request.timeoutMs ?? 10_000, () => {
      const error = new Error(`timed out after ${request.timeoutMs ?? 10_000} ms`);
      error.name = 'TimeoutError';
      outgoing.destroy(error);
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
