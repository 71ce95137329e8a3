/** Sends a server-rendered HTML page with a strict Content-Security-Policy (no scripts at all). */
import type { FastifyReply } from 'fastify';

export const pageSecurityPolicy =
  "default-src 'none'; style-src 'self'; form-action *; frame-ancestors 'none'";

export function sendPage(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply
    .code(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('content-security-policy', pageSecurityPolicy)
    .header('x-content-type-options', 'nosniff')
    .send(body);
}
