/**
 * A merchant's own web server for e2e host pages: serves the HTML pages a test registers, with the headers it asks
 * for (a strict Content-Security-Policy, …), on 127.0.0.1 and a free port — a different origin from the gateway's.
 * (A real origin on the loopback, like the gateway: Chromium's Private Network Access rules let such a page load
 * the gateway's script, which a made-up public origin faked with page.route could not.)
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface HostPage {
  html: string;
  headers?: Record<string, string>;
}

export interface MerchantOrigin {
  url: string;
  /** Serves `page` at `path` (e.g. "/shop") and returns its full URL. */
  serve(path: string, page: HostPage): string;
  close(): Promise<void>;
}

export async function startMerchantOrigin(): Promise<MerchantOrigin> {
  const pages = new Map<string, HostPage>();
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://host').pathname;
    const page = pages.get(path);
    if (!page) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      response.end('no such page');
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      ...page.headers,
    });
    response.end(page.html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    serve(path, page) {
      pages.set(path, page);
      return url + path;
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
