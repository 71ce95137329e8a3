/**
 * The building blocks of spay's endpoint schemas (TypeBox → JSON Schema 2020-12), with BeeCloud's wire quirks, and
 * `schemaRoute`, which turns an endpoint's schemas into Fastify route options. One schema per endpoint serves three
 * uses: Fastify validates the request with it (request-validation.ts: a refusal names the field with BeeCloud's
 * result code), the handler is typed by it (`@fastify/type-provider-typebox`), and the OpenAPI 3.1 document at
 * `GET /openapi.json` (openapi-routes.ts) is generated from it.
 *
 * ## Adding an endpoint (how-to)
 *
 * 1. Next to the routes, in `<endpoint>-schemas.ts`, write the request and the answer:
 *
 *        export const couponRequest = SignedRequest({
 *          coupon_no: LettersDigits(8, 32),
 *          amount: Fen(),
 *          note: Type.Optional(PlainText(64)),
 *        });
 *        export const couponAnswer = OkAnswer({ id: Type.String() });
 *
 *    A GET takes the same object as `querystring` (sent as `?para=` JSON or as plain parameters); a POST / PUT
 *    as `body`. Fields keep BeeCloud's names; money is `Fen()`; free maps are `FlatMap()`. What a schema cannot say
 *    (a date inside refund_no, a field compared with another, the signature) stays in the handler or the core.
 * 2. Register the route through the type provider with `schemaRoute`:
 *
 *        server.withTypeProvider<TypeBoxTypeProvider>().post(
 *          '/2/rest/coupon',
 *          schemaRoute({ tags: ['coupons'], summary: 'Issue a coupon', body: couponRequest, answer: couponAnswer }),
 *          async (request) => { request.body.amount … },   // typed
 *        );
 *
 * 3. Nothing else: the route is in `/openapi.json` and `/docs`, and `openapi-document.test.ts` checks that every
 *    `/2/rest/*` route has a request and an answer schema.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type, type TObject, type TProperties, type TSchema } from 'typebox';
import { requestDecoder } from './request-validation.ts';

export { Type };

/** Integer fen > 0, at most `max` (a 32-bit integer, as BeeCloud's SDKs send it). */
export function Fen(options: { min?: number; max?: number; description?: string } = {}) {
  return Type.Integer({
    minimum: options.min ?? 1,
    maximum: options.max ?? 2_147_483_647,
    description: options.description ?? 'Integer fen (1 yuan = 100).',
  });
}

/** `min` to `max` ASCII letters or digits (bill_no, batch_no, …). */
export function LettersDigits(min: number, max: number, description?: string) {
  return Type.String({
    pattern: `^[0-9A-Za-z]{${min},${max}}$`,
    'x-error-message': `must be ${min} to ${max} letters or digits`,
    ...(description !== undefined ? { description } : {}),
  });
}

/** Text a person reads: not blank (blank answers MISS_PARAM), no control characters, at most `max` characters. */
export function PlainText(max: number, description?: string) {
  return Type.String({
    maxLength: max,
    pattern: '^(?=[\\s\\S]*\\S)[^\\u0000-\\u001f\\u007f]*$',
    'x-error-message': 'must not contain control characters',
    'x-blank-is-missing': true,
    ...(description !== undefined ? { description } : {}),
  });
}

/** An absolute http(s) URL. */
export function HttpUrl(description?: string) {
  return Type.String({
    maxLength: 1024,
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://\\S+$',
    'x-error-message': 'must be an absolute http:// or https:// URL',
    ...(description !== undefined ? { description } : {}),
  });
}

/** A value with a fixed set of words; another word answers `code` (PARAM_INVALID, or e.g. CHANNEL_INVALID). */
export function Words<const W extends readonly string[]>(
  words: W,
  options: { code?: string; message?: string; description?: string } = {},
) {
  return Type.Enum(words as unknown as W[number][], {
    type: 'string',
    ...(options.code !== undefined ? { 'x-result-code': options.code } : {}),
    ...(options.message !== undefined ? { 'x-error-message': options.message } : {}),
    ...(options.description !== undefined ? { description: options.description } : {}),
  });
}

/**
 * A flat `{key: string | number | boolean | null}` map (BeeCloud's optional, analysis); `text`: also taken as a JSON
 * string of one (some SDKs send it so).
 */
export function FlatMap(options: { maxKeys?: number; text?: boolean; description?: string } = {}) {
  return Type.Record(Type.String(), Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]), {
    maxProperties: options.maxKeys ?? 50,
    ...(options.text ? { 'x-beecloud-text': true } : {}),
    description:
      options.description ??
      'A flat map of strings, numbers and booleans (no nesting), returned in webhooks.',
  });
}

/** The signature fields of a REST request (legacy app_sign, or the v2 X-Spay-* headers with app_id alone). */
export const signatureFields = {
  app_id: Type.String({ maxLength: 64, description: 'The app id.' }),
  timestamp: Type.Optional(
    Type.Integer({
      minimum: 0,
      description:
        'Milliseconds since the epoch, within ±5 min of the server (required unless the request carries the v2 X-Spay-* headers).',
    }),
  ),
  app_sign: Type.Optional(
    Type.String({
      description:
        'md5(app_id + timestamp + secret), 32 hex digits; the secret depends on the endpoint (required unless the v2 X-Spay-* headers are sent).',
    }),
  ),
};

/** A signed REST request: the endpoint's fields plus `app_id`, `timestamp`, `app_sign`. */
export function SignedRequest<P extends TProperties>(properties: P, options: Record<string, unknown> = {}) {
  return Type.Object({ ...signatureFields, ...properties }, options);
}

export const answerFields = {
  resultCode: Type.Integer({ description: 'Same as result_code (older SDKs read this name).' }),
  result_code: Type.Integer({ description: '0 on success, else one of BeeCloud’s result codes.' }),
  result_msg: Type.String({ description: 'OK, or the result code’s name (e.g. PARAM_INVALID).' }),
  err_detail: Type.String({ description: 'Empty on success; else "<field>: what is wrong".' }),
};

/** Every refusal: BeeCloud's result code and a detail naming the field. */
export const ErrorAnswer = Type.Object(answerFields, { title: 'ErrorAnswer' });

/** A successful answer: the result fields plus the endpoint's. */
export function OkAnswer<P extends TProperties>(properties: P, options: Record<string, unknown> = {}) {
  return Type.Object({ ...answerFields, ...properties }, options);
}

export interface SchemaRouteParts<
  B extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  P extends TObject | undefined = undefined,
> {
  summary: string;
  description?: string;
  tags: string[];
  body?: B;
  querystring?: Q;
  params?: P;
  /** The answer on success (HTTP 200). A refusal is ErrorAnswer, with HTTP 200 as BeeCloud answered. */
  answer: TSchema;
  /** The answer's media type when it is not JSON (a script, an event stream): then no ErrorAnswer on 200. */
  answerContentType?: string;
  /** Route config (e.g. `{edge: 'button'}`, read by the error handler). */
  config?: Record<string, unknown>;
  bodyLimit?: number;
  /** How a missing body or a body that is not an object answers (REST 400, the button 200). */
  bodyStatus?: number;
}

/** Route options for an endpoint's schemas: validation, the type provider's types, the OpenAPI operation. */
export function schemaRoute<
  B extends TSchema | undefined = undefined,
  Q extends TSchema | undefined = undefined,
  P extends TObject | undefined = undefined,
>(parts: SchemaRouteParts<B, Q, P>) {
  const decode = requestDecoder({ bodyStatus: parts.bodyStatus ?? 400 });
  return {
    schema: {
      summary: parts.summary,
      ...(parts.description !== undefined ? { description: parts.description } : {}),
      tags: parts.tags,
      ...(parts.body !== undefined ? { body: parts.body } : {}),
      ...(parts.querystring !== undefined ? { querystring: parts.querystring } : {}),
      ...(parts.params !== undefined ? { params: parts.params } : {}),
      response: {
        200:
          parts.answerContentType === undefined
            ? Type.Union([parts.answer, ErrorAnswer])
            : { description: 'OK', content: { [parts.answerContentType]: { schema: parts.answer } } },
        '4xx': ErrorAnswer,
      },
    } as {
      summary: string;
      tags: string[];
      body: B;
      querystring: Q;
      params: P;
      response: Record<string, unknown>;
    },
    preValidation: decode as (request: FastifyRequest, reply: FastifyReply) => Promise<void>,
    ...(parts.config !== undefined ? { config: parts.config } : {}),
    ...(parts.bodyLimit !== undefined ? { bodyLimit: parts.bodyLimit } : {}),
  };
}
