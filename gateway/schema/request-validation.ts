/**
 * Fastify's validation of every route with a schema (REST, button), BeeCloud-style:
 *
 * - `installSchemaValidation(server)` sets the server's validator compiler (Ajv, JSON Schema 2020-12, the dialect of
 *   OpenAPI 3.1) and a serializer compiler that is plain `JSON.stringify`: answer schemas document and are tested,
 *   they never reshape what goes on the wire.
 * - `decodeRequest` (a route's preValidation hook, added by `schemaRoute`) turns what an SDK sent into the object the
 *   schema checks: `?para=` URL-encoded JSON on GET (the BeeCloud SDKs), plain query parameters, a JSON body (also
 *   sent as text/plain), a form body. Plain query parameters and form bodies are text, so for them numbers, booleans
 *   and comma lists are read from their text form; a JSON request is taken as typed, except booleans as
 *   "true"/"false" (loosely typed SDKs) and the fields marked `x-beecloud-text` (old pages and SDKs sending the amount
 *   as digits, a map or an object as JSON text). An empty string or null is an absent field, as BeeCloud read it.
 * - `validationRefusal` turns Ajv's first error into the BeeCloudError naming the field (MISS_PARAM when absent,
 *   PARAM_INVALID, or the field's `x-result-code`); the error handler calls it for FST_ERR_VALIDATION.
 *
 * The vendor keywords a schema may carry (beecloud-schema.ts builds them): `x-error-message` (what a value failure
 * says), `x-result-code` (the result code of a value failure, e.g. CHANNEL_INVALID), `x-beecloud-text` (also taken as
 * text in a JSON request).
 */
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BeeCloudError, type ResultName } from '../errors/result-codes.ts';

type JsonSchema = Record<string, unknown>;
type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

// allErrors: the refusal names the first field at fault in the schema's order (as BeeCloud read its fields), not
// the first keyword Ajv happens to evaluate (conditional rules run before the properties).
const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: false, coerceTypes: false });
addFormats(ajv);
ajv.addVocabulary(['x-error-message', 'x-result-code', 'x-beecloud-text', 'x-blank-is-missing']);

/** Each error's root schema (for naming the field), kept by the compiled validator. */
const schemaRoots = new WeakMap<ErrorObject, JsonSchema>();

/** Objects read from text (plain query parameters, form bodies): their numbers and lists come as text. */
const textSources = new WeakSet<object>();

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeOf(schema: JsonSchema | undefined): string | undefined {
  return typeof schema?.type === 'string' ? schema.type : undefined;
}

/** A copy of `value` with BeeCloud's text forms read as the schema's types (see the header). */
function normalize(schema: JsonSchema | undefined, value: unknown, fromText: boolean): unknown {
  if (schema === undefined) return value;
  const type = typeOf(schema);
  const textAccepted = fromText || schema['x-beecloud-text'] === true;
  if (typeof value === 'string') {
    if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    // Query text as BeeCloud's servers read it ("0100" too); digits in JSON only in their plain form ("100").
    const digits = fromText ? /^-?\d{1,16}$/ : /^-?(0|[1-9]\d{0,15})$/;
    if ((type === 'integer' || type === 'number') && textAccepted && digits.test(value)) {
      return Number(value);
    }
    if (type === 'array' && fromText) value = value.split(',');
    else if (type === 'object' && schema['x-beecloud-text'] === true) {
      try {
        value = JSON.parse(value) as unknown;
      } catch {
        return value;
      }
    } else return value;
  }
  if (Array.isArray(value) && type === 'array') {
    const items = schema.items as JsonSchema | undefined;
    return value.map((item) => normalize(items, item, fromText));
  }
  const properties = schema.properties as Record<string, JsonSchema> | undefined;
  if (isPlainObject(value) && properties !== undefined) {
    const copy: Record<string, unknown> = {};
    for (const [name, item] of Object.entries(value)) {
      if (item === null || item === '') continue; // absent, as BeeCloud read it
      copy[name] = normalize(properties[name], item, fromText);
    }
    return copy;
  }
  return value;
}

function compile(schema: JsonSchema): (data: unknown) => { value: unknown } | { error: ErrorObject[] } {
  const check: ValidateFunction = ajv.compile(schema);
  return (data) => {
    const fromText = isPlainObject(data) && textSources.has(data);
    const value = normalize(schema, data, fromText);
    if (check(value)) return { value };
    const errors = firstInFieldOrder(schema, check.errors ?? []);
    for (const error of errors) schemaRoots.set(error, schema);
    return { error: errors };
  };
}

/** The error about the field that comes first in the schema (a rule about the whole request comes last). */
function firstInFieldOrder(schema: JsonSchema, errors: readonly ErrorObject[]): ErrorObject[] {
  const names = Object.keys((schema.properties as JsonSchema | undefined) ?? {});
  const rank = (error: ErrorObject) => {
    const first = error.instancePath.split('/')[1];
    const name =
      first !== undefined
        ? first
        : error.keyword === 'required'
          ? String((error.params as { missingProperty?: unknown }).missingProperty)
          : undefined;
    if (name === undefined) return error.keyword === 'type' ? -1 : names.length;
    const index = names.indexOf(name);
    return index === -1 ? names.length : index;
  };
  let best: ErrorObject | undefined;
  for (const error of errors) if (best === undefined || rank(error) < rank(best)) best = error;
  return best === undefined ? [] : [best];
}

const compiled = new WeakMap<object, ReturnType<typeof compile>>();

/**
 * Validates `value` against `schema` as Fastify does a request: a JSON request, or with `fromText` plain query
 * parameters / a form body. The JSONP button checks its `para` so; tests check a schema so.
 */
export function checkWithSchema<T>(
  schema: object,
  value: unknown,
  context: HttpPart = 'body',
  { fromText = false, edge = 'button' }: { fromText?: boolean; edge?: string } = {},
): T {
  let validator = compiled.get(schema);
  if (validator === undefined) {
    validator = compile(schema as JsonSchema);
    compiled.set(schema, validator);
  }
  if (fromText && isPlainObject(value)) {
    value = { ...value };
    textSources.add(value as object);
  }
  const result = validator(value);
  if ('error' in result) throw validationRefusal(result.error, context, edge);
  return result.value as T;
}

export function installSchemaValidation(server: FastifyInstance): void {
  server.setValidatorCompiler(({ schema }) => compile(schema as JsonSchema));
  server.setSerializerCompiler(() => (data) => JSON.stringify(data));
}

/** Decodes `para` (already URL-decoded by the HTTP layer) into the request's JSON object. */
export function decodePara(para: unknown): Record<string, unknown> {
  if (typeof para !== 'string') {
    throw new BeeCloudError('PARAM_INVALID', 'para', 'must be given once, as URL-encoded JSON');
  }
  let value: unknown;
  try {
    value = JSON.parse(para);
  } catch {
    throw new BeeCloudError('PARAM_INVALID', 'para', 'is not valid JSON');
  }
  if (!isPlainObject(value)) throw new BeeCloudError('PARAM_INVALID', 'para', 'must be a JSON object');
  return value;
}

/** The query as the schema sees it: `para`'s JSON object, or the plain parameters (text), each given once. */
function decodeQuery(query: unknown): Record<string, unknown> {
  const params = isPlainObject(query) ? query : {};
  if ('para' in params) return decodePara(params.para);
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') throw new BeeCloudError('PARAM_INVALID', name, 'must be given once');
    plain[name] = value;
  }
  textSources.add(plain);
  return plain;
}

export interface DecodeOptions {
  /** What a missing body or a body that is not an object answers: REST 400, the button 200 (its old pages). */
  bodyStatus: number;
}

/** Turns what an SDK sent into the object the route's schema checks (see the header). */
export function requestDecoder(options: DecodeOptions) {
  return async function decodeRequest(request: FastifyRequest, _reply: FastifyReply): Promise<void> {
    const schema = request.routeOptions.schema;
    if (schema?.querystring !== undefined) request.query = decodeQuery(request.query);
    if (schema?.body === undefined) return;
    let body = request.body;
    if (body === undefined || body === null || body === '') {
      if (body === null && request.headers['content-type']?.startsWith('application/json')) {
        throw new BeeCloudError('PARAM_INVALID', 'body', 'must be a JSON object', options.bodyStatus);
      }
      throw new BeeCloudError('MISS_PARAM', 'body', 'a JSON object body is required', options.bodyStatus);
    }
    if (typeof body === 'string') {
      // A JSON body sent as text/plain (the widget skips the CORS preflight so; some HTTP clients do).
      try {
        body = JSON.parse(body) as unknown;
      } catch {
        throw new BeeCloudError('PARAM_INVALID', 'body', 'is not valid JSON', options.bodyStatus);
      }
    }
    if (!isPlainObject(body)) {
      throw new BeeCloudError('PARAM_INVALID', 'body', 'must be a JSON object', options.bodyStatus);
    }
    const contentType = request.headers['content-type'] ?? '';
    if (contentType.toLowerCase().startsWith('application/x-www-form-urlencoded')) {
      body = { ...body };
      textSources.add(body as object);
    }
    request.body = body;
  };
}

const typeMessages: Record<string, string> = {
  integer: 'must be an integer',
  number: 'must be a number',
  string: 'must be a string',
  boolean: 'must be true or false',
  object: 'must be an object of {key: value}',
  array: 'must be a list',
};

function defaultMessage(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      if (Array.isArray(params.type)) return `must be a ${params.type.join(' or ')}`;
      return typeMessages[String(params.type)] ?? `must be of type ${String(params.type)}`;
    case 'minLength':
      return `must be at least ${String(params.limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(params.limit)} characters`;
    case 'minimum':
      return `must be an integer >= ${String(params.limit)}`;
    case 'maximum':
      return `must be an integer <= ${String(params.limit)}`;
    case 'maxItems':
      return `must have at most ${String(params.limit)} items`;
    case 'maxProperties':
      return `must have at most ${String(params.limit)} keys`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `must be ${String(params.allowedValue)}`;
    case 'anyOf':
    case 'oneOf':
      return 'must be a string, number or boolean (no nesting)';
    default:
      return error.message ?? 'has an invalid value';
  }
}

/**
 * The field an error is about, as BeeCloud names it: `transfer_data[3].transfer_id`, `redpack_info.wishing`; a key
 * inside a free map (optional, analysis) names the map, the key goes into the message.
 */
function fieldOf(
  rootSchema: JsonSchema | undefined,
  instancePath: string,
): { field: string; mapKey?: string } {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  let schema = rootSchema;
  let field = '';
  for (const segment of segments) {
    const properties = schema?.properties as Record<string, JsonSchema> | undefined;
    if (properties?.[segment] !== undefined) {
      field = field === '' ? segment : `${field}.${segment}`;
      schema = properties[segment];
    } else if (typeOf(schema) === 'array') {
      field = `${field}[${segment}]`;
      schema = schema?.items as JsonSchema | undefined;
    } else {
      return { field, mapKey: segment };
    }
  }
  return { field };
}

const rootNames: Record<HttpPart, string> = {
  body: 'body',
  querystring: 'query',
  params: 'path',
  headers: 'headers',
};

/** Ajv's first error as the BeeCloudError naming the field (see the header). */
export function validationRefusal(
  errors: readonly ErrorObject[] | undefined,
  context: string,
  edge: 'rest' | 'button' | string = 'rest',
): BeeCloudError {
  const error = errors?.[0];
  const part = (context in rootNames ? context : 'body') as HttpPart;
  if (error === undefined) return new BeeCloudError('PARAM_INVALID', rootNames[part], 'is invalid');
  const parentSchema = (error.parentSchema ?? {}) as JsonSchema;
  const params = error.params as Record<string, unknown>;
  const { field, mapKey } = fieldOf(schemaRoots.get(error), error.instancePath);
  if (error.keyword === 'required') {
    const missing = String(params.missingProperty);
    const name = field === '' ? missing : `${field}.${missing}`;
    const data = error.data as Record<string, unknown> | undefined;
    const conditional = error.schemaPath.includes('/then/');
    const channel = typeof data?.channel === 'string' ? data.channel : undefined;
    return new BeeCloudError(
      'MISS_PARAM',
      name,
      conditional && channel !== undefined ? `is required for ${channel}` : 'is required',
    );
  }
  if (field === '') {
    return new BeeCloudError(
      'PARAM_INVALID',
      rootNames[part],
      part === 'body' ? 'must be a JSON object' : defaultMessage(error),
      edge === 'rest' ? 400 : 200,
    );
  }
  if (error.keyword === 'minItems' && Array.isArray(error.data) && error.data.length === 0) {
    return new BeeCloudError('MISS_PARAM', field, 'must not be empty');
  }
  if (error.keyword === 'pattern' && parentSchema['x-blank-is-missing'] === true) {
    if (typeof error.data === 'string' && error.data.trim() === '') {
      return new BeeCloudError('MISS_PARAM', field, 'must not be blank');
    }
  }
  const custom = typeof parentSchema['x-error-message'] === 'string' && error.keyword !== 'type';
  let message = custom ? (parentSchema['x-error-message'] as string) : defaultMessage(error);
  if (mapKey !== undefined) message = `value of "${mapKey}" ${message}`;
  const code =
    error.keyword !== 'type' && typeof parentSchema['x-result-code'] === 'string'
      ? (parentSchema['x-result-code'] as ResultName)
      : 'PARAM_INVALID';
  return new BeeCloudError(code, field, message);
}
