/**
 * A merchant's own origin for e2e host pages: a tiny HTTP server on 127.0.0.1 (its own port, so a different
 * origin from the gateway's) serving pages that tests register. Browsers block pages from a public origin
 * (e.g. one faked with page.route) from loading scripts on 127.0.0.1, so host pages must really live on loopback.
 *   const url = stack.merchant.page('/shop', html, { 'content-security-policy': "script-src 'self' …" });
 */
import { createServer, type Server } from 'node:http';

export interface HostPage {
  body: string;
  headers: Record<string, string>;
}

export interface MerchantOrigin {
  url: string;
  /** Serves `html` at `path` (with extra response headers) and returns the page's full URL. */
  page(path: string, html: string, headers?: Record<string, string>): string;
  /** Serves a script or other file at `path`. */
  file(path: string, body: string, contentType: string): string;
  close(): Promise<void>;
}

export async function startMerchantOrigin(): Promise<MerchantOrigin> {
  const pages = new Map<string, HostPage>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const page = pages.get(path);
    if (!page) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    response.writeHead(200, { 'cache-control': 'no-store', ...page.headers }).end(page.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('merchant origin has no port');
  const url = `http://127.0.0.1:${address.port}`;
  return {
    url,
    page(path, html, headers = {}) {
      pages.set(path, { body: html, headers: { 'content-type': 'text/html; charset=utf-8', ...headers } });
      return url + path;
    },
    file(path, body, contentType) {
      pages.set(path, { body, headers: { 'content-type': contentType } });
      return url + path;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
