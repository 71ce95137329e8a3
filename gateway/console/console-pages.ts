/**
 * The merchant console's pages: the built app of dist/console (console/, `npm run build`) at /console/.
 *   GET /console                → 301 /console/
 *   GET /console/assets/<file>  → a content-hashed asset, cached for a year (immutable)
 *   GET /console/preview.html   → the 秒支付 button preview the button page frames (same origin only)
 *   GET /console/<anything>     → index.html (the app routes in the browser), never cached
 * Every HTML answer carries a strict CSP: scripts, styles, fetches and frames from this origin only, nothing inline.
 * /console/api/* belongs to the console API (console-module.ts); an unknown GET there is a JSON 404 in the API's
 * error shape, never the app's HTML.
 */
import { readFile } from 'node:fs/promises';
import { join, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { GatewayContext } from '../gateway-context.ts';
import type { GatewayModule } from '../gateway-module.ts';

export const consoleSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** The preview is framed by the console (same origin) and nothing else. */
const appFrameAncestors = "frame-ancestors 'none'";
const previewFrameAncestors = "frame-ancestors 'self'";

const contentTypes: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
};
const assetName = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,159}$/;

function securityHeaders(reply: FastifyReply, frameAncestors: string): FastifyReply {
  return reply
    .header('content-security-policy', `${consoleSecurityPolicy}; ${frameAncestors}`)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'same-origin')
    .header('cross-origin-opener-policy', 'same-origin');
}

export function registerConsolePages(app: FastifyInstance, directory: string): void {
  const html = new Map<string, Promise<Buffer | undefined>>();
  const readPage = (name: string) => {
    let page = html.get(name);
    if (!page) {
      page = readFile(join(directory, name)).catch(() => undefined);
      html.set(name, page);
      // A missing build is looked for again on the next request (the operator may build meanwhile).
      void page.then((found) => found ?? html.delete(name));
    }
    return page;
  };

  const sendHtml = async (reply: FastifyReply, name: string, frameAncestors: string) => {
    const body = await readPage(name);
    securityHeaders(reply, frameAncestors).header('cache-control', 'no-store');
    if (!body) {
      return reply
        .code(503)
        .header('content-type', 'text/plain; charset=utf-8')
        .send('The console is not built on this gateway: run npm run build.');
    }
    return reply.header('content-type', 'text/html; charset=utf-8').send(body);
  };

  app.get('/console', (_request, reply) => reply.redirect('/console/', 301));

  app.get<{ Params: { file: string } }>('/console/assets/:file', async (request, reply) => {
    const name = request.params.file;
    const extension = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
    const type = contentTypes[extension];
    const path = join(directory, 'assets', name);
    if (!assetName.test(name) || !type || !path.startsWith(resolve(directory, 'assets') + sep)) {
      return reply
        .code(404)
        .send({ result_code: 404, result_msg: 'NOT_FOUND', err_detail: 'file: no such asset' });
    }
    const body = await readFile(path).catch(() => undefined);
    if (!body) {
      return reply
        .code(404)
        .send({ result_code: 404, result_msg: 'NOT_FOUND', err_detail: 'file: no such asset' });
    }
    return reply
      .header('content-type', type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(body);
  });

  app.get('/console/preview.html', (_request, reply) =>
    sendHtml(reply, 'preview.html', previewFrameAncestors),
  );

  app.get<{ Params: { '*': string } }>('/console/*', (request, reply) => {
    if (/^api(\/|$)/.test(request.params['*'])) {
      return reply
        .code(404)
        .header('cache-control', 'no-store')
        .send({ error: { code: 'not_found', message: 'no such console API route', field: 'path' } });
    }
    return sendHtml(reply, 'index.html', appFrameAncestors);
  });
}

/** The module to install (gateway/modules.ts). */
export const consolePagesModule: GatewayModule = {
  name: 'console-pages',
  register(app, ctx: GatewayContext) {
    registerConsolePages(app, ctx.consoleDir);
  },
};
