/**
 * The JSONP forms of the button's GET endpoints, as old pages call them:
 * - spay's widget and most pages: `?para=<encodeURIComponent(json)>&callback=fn`;
 * - BeeCloud's own button script (v4): `encodeURI(url + '?para=' + json)`, the JSON built by hand with every
 *   value as a string and the callback *inside* it (`"callback":"fn"`). encodeURI leaves `&`, `+`, `=` and `?` as
 *   they are, so a title such as "C++ & 茶" arrives as raw query characters: when the whole query is `para=…`,
 *   it is read from the raw URL (decodeURIComponent, `+` kept), never through the form decoder that splits at `&`
 *   and turns `+` into a space (the sign covers the title).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BeeCloudError } from '../errors/result-codes.ts';
import { scriptSafeJson } from './widget-script.ts';

/** A JavaScript identifier path such as `cb`, `jQuery1234_5678` or `window.handlers.pay`. */
const jsonpCallback = /^[A-Za-z_$][\w$]{0,63}(\.[A-Za-z_$][\w$]{0,63}){0,4}$/;

export function parseJsonText(text: string, field: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new BeeCloudError('PARAM_INVALID', field, 'is not valid JSON');
  }
}

/** `para` as a JSON value, or undefined when the request has none. */
export function readPara(request: Pick<FastifyRequest, 'url' | 'query'>): unknown {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const queryStart = request.url.indexOf('?');
  const raw = queryStart < 0 ? '' : request.url.slice(queryStart + 1);
  if (raw.startsWith('para=')) {
    // The whole query is one para (BeeCloud's v4 script): read it as sent. Anything else (a `&callback=` after an
    // encodeURIComponent'd para) is not JSON this way and falls through to the parsed query.
    try {
      return JSON.parse(decodeURIComponent(raw.slice('para='.length))) as unknown;
    } catch {
      // Not the v4 form.
    }
  }
  const para = query.para;
  if (para === undefined || para === '') return undefined;
  if (typeof para !== 'string') throw new BeeCloudError('PARAM_INVALID', 'para', 'must be one JSON string');
  return parseJsonText(para, 'para');
}

/**
 * The JSONP callback: the query's `callback`, else the one inside `para` (BeeCloud's v4 script); undefined when
 * neither names one. A name that is not a JavaScript identifier path is refused (no script injection).
 */
export function readCallback(query: unknown, para: unknown): string | undefined {
  const fromQuery = (query as Record<string, unknown> | undefined)?.callback;
  const fromPara =
    typeof para === 'object' && para !== null && !Array.isArray(para)
      ? (para as Record<string, unknown>).callback
      : undefined;
  const callback = fromQuery ?? fromPara;
  if (callback === undefined || callback === '') return undefined;
  if (typeof callback !== 'string' || !jsonpCallback.test(callback)) {
    throw new BeeCloudError('PARAM_INVALID', 'callback', 'must be a JavaScript identifier');
  }
  return callback;
}

export function sendJsonp(reply: FastifyReply, callback: string, answer: unknown): FastifyReply {
  return reply
    .header('content-type', 'application/javascript; charset=utf-8')
    .header('x-content-type-options', 'nosniff')
    .header('cache-control', 'no-store')
    .send(`/**/${callback}(${scriptSafeJson(answer)});`);
}

/**
 * The JSONP request's para and callback. A bad callback (in the query, or inside a para that parsed) throws: it
 * is answered as plain JSON, never echoed into a script. A para that does not parse is returned as `paraError`, to
 * be answered through the query's callback when there is one.
 */
export function readJsonpRequest(request: { url: string; query: unknown }): {
  callback: string | undefined;
  para: unknown;
  paraError: unknown;
} {
  const queryCallback = readCallback(request.query, undefined);
  try {
    const para = readPara(request);
    return { callback: queryCallback ?? readCallback(undefined, para), para, paraError: undefined };
  } catch (error) {
    return { callback: queryCallback, para: undefined, paraError: error };
  }
}
