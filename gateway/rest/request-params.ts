/**
 * LEGACY — kept only for REST routes that do not have schemas yet (routes added on other branches, e.g.
 * subscriptions): `authenticated` (rest-context.ts) hands them these `fields` as before. Every route with a schema
 * (`schemaRoute`, gateway/schema/beecloud-schema.ts) is checked by Fastify's validation instead; once the last route
 * has its schemas, delete this file.
 */
/**
 * Turns what an SDK sent into the fields of one REST request:
 * - GET: `?para=` + URL-encoded JSON (how the BeeCloud SDKs send it), or plain query parameters;
 * - POST / PUT: a JSON object body (a form-encoded body is read like query parameters).
 */
import { BeeCloudError } from '../errors/result-codes.ts';
import { RequestFields } from './request-fields.ts';

/** The parts of an HTTP request the decoding needs (a Fastify request has them all). */
export interface IncomingRestRequest {
  method: string;
  query: unknown;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Decodes `para` (already URL-decoded by the HTTP layer) into the request's JSON object. */
export function decodePara(para: unknown): Record<string, unknown> {
  if (typeof para !== 'string')
    throw new BeeCloudError('PARAM_INVALID', 'para', 'must be given once, as URL-encoded JSON');
  let value: unknown;
  try {
    value = JSON.parse(para);
  } catch {
    throw new BeeCloudError('PARAM_INVALID', 'para', 'is not valid JSON');
  }
  if (!isPlainObject(value)) throw new BeeCloudError('PARAM_INVALID', 'para', 'must be a JSON object');
  return value;
}

export function readQueryFields(query: unknown): RequestFields {
  const params = isPlainObject(query) ? query : {};
  if ('para' in params) return new RequestFields(decodePara(params.para), 'json');
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') throw new BeeCloudError('PARAM_INVALID', name, 'must be given once');
  }
  return new RequestFields(params, 'query');
}

export function readBodyFields(body: unknown, contentType: string | undefined): RequestFields {
  if (body === undefined || body === null || body === '') {
    throw new BeeCloudError('MISS_PARAM', 'body', 'a JSON object body is required', 400);
  }
  if (typeof body === 'string') {
    // A JSON body sent as text/plain (some HTTP clients do): read it as JSON all the same.
    try {
      body = JSON.parse(body);
    } catch {
      throw new BeeCloudError('PARAM_INVALID', 'body', 'is not valid JSON', 400);
    }
  }
  if (!isPlainObject(body)) throw new BeeCloudError('PARAM_INVALID', 'body', 'must be a JSON object', 400);
  const formEncoded = (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
  return new RequestFields(body, formEncoded ? 'query' : 'json');
}

/** The request's fields, wherever its method puts them. */
export function readRestFields(request: IncomingRestRequest): RequestFields {
  if (request.method === 'GET' || request.method === 'HEAD' || request.method === 'DELETE') {
    return readQueryFields(request.query);
  }
  const contentType = request.headers['content-type'];
  return readBodyFields(request.body, Array.isArray(contentType) ? contentType[0] : contentType);
}
