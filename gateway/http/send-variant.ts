/** Sends a precompressed body with content negotiation (br, gzip) and ETag / If-None-Match. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ScriptVariant } from '../button/widget-script.ts';

export function sendVariant(
  request: FastifyRequest,
  reply: FastifyReply,
  variant: ScriptVariant,
  options: { contentType: string; cacheControl: string },
): FastifyReply {
  reply.header('content-type', options.contentType);
  reply.header('cache-control', options.cacheControl);
  reply.header('vary', 'Accept-Encoding');
  reply.header('etag', variant.etag);
  reply.header('x-content-type-options', 'nosniff');
  const ifNoneMatch = request.headers['if-none-match'];
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim().replace(/^W\//, '') === variant.etag)) {
    return reply.code(304).send();
  }
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (/\bbr\b/.test(accepted)) {
    reply.header('content-encoding', 'br');
    return reply.send(variant.brotli);
  }
  if (/\bgzip\b/.test(accepted)) {
    reply.header('content-encoding', 'gzip');
    return reply.send(variant.gzip);
  }
  return reply.send(variant.body);
}
