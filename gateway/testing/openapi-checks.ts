/**
 * Checks against the gateway's own OpenAPI document (`GET /openapi.json`), for tests: a value against one of its
 * schemas (Ajv, draft 2020-12, as OpenAPI 3.1 is), and a `fetch` that checks every REST call an SDK makes — the
 * request against the documented operation, the answer against its documented success answer.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { expect } from 'vitest';

type Json = Record<string, any>;

const ajv = new Ajv2020({ strict: false, allErrors: true });
const validators = new Map<object, ValidateFunction>();

/** Expects `value` to be valid against `schema` (a schema of the document), naming `label` and the errors if not. */
export function expectValid(schema: object, value: unknown, label: string): void {
  let check = validators.get(schema);
  if (!check) {
    check = ajv.compile(schema);
    validators.set(schema, check);
  }
  expect(check(value), `${label}: ${ajv.errorsText(check.errors)}`).toBe(true);
}

/** The documented operation for a request (its method, and a path template matching the URL path), with its template. */
export function operationFor(document: Json, method: string, pathname: string): Json {
  for (const [template, item] of Object.entries(document.paths as Json)) {
    const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    const operation = (item as Json)[method.toLowerCase()];
    if (pattern.test(pathname) && operation !== undefined) return { template, ...(operation as Json) };
  }
  throw new Error(`the document has no operation ${method} ${pathname}`);
}

/** The query parameters of an operation as one object schema (what `para`'s JSON must match). */
function querySchema(operation: Json): Json {
  const parameters = ((operation.parameters ?? []) as Json[]).filter((parameter) => parameter.in === 'query');
  return {
    type: 'object',
    properties: Object.fromEntries(parameters.map((parameter) => [parameter.name, parameter.schema])),
    required: parameters.filter((parameter) => parameter.required).map((parameter) => parameter.name),
  };
}

export interface CheckedCall {
  method: string;
  /** The URL's path, as sent. */
  pathname: string;
  /** The documented path template it matched. */
  template: string;
  operation: Json;
}

/**
 * A `fetch` for the SDK that expects each request to be valid against its documented operation (the `?para=` JSON
 * of a GET or DELETE against the query parameters, a body against the request body), the gateway to accept it
 * (result_code 0) and the answer to be valid against the documented success answer; `onChecked` hears each call.
 */
export function documentCheckingFetch(document: Json, onChecked: (call: CheckedCall) => void): typeof fetch {
  return async (input, init) => {
    const url = new URL(String(input));
    const method = init?.method ?? 'GET';
    const operation = operationFor(document, method, url.pathname);
    const label = `${method} ${url.pathname}`;
    if (method === 'GET' || method === 'DELETE') {
      const para = url.searchParams.get('para');
      expectValid(querySchema(operation), para === null ? {} : JSON.parse(para), `${label} para`);
    } else {
      const schema = operation.requestBody.content['application/json'].schema as Json;
      expectValid(schema, JSON.parse(String(init?.body)), `${label} body`);
    }
    const response = await fetch(input, init);
    const text = await response.text();
    const answer = JSON.parse(text) as Json;
    expect(answer.result_code, `${label}: ${text}`).toBe(0);
    const success = operation.responses['200'].content['application/json'].schema as Json;
    expectValid(success.anyOf[0] as Json, answer, `${label} answer`);
    onChecked({ method, pathname: url.pathname, template: String(operation.template), operation });
    return new Response(text, { status: response.status, headers: response.headers });
  };
}
