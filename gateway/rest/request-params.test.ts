import { describe, expect, it } from 'vitest';
import { readBodyFields, readQueryFields, readRestFields } from './request-params.ts';
import { refusalOf as refusal } from '../testing/refusal.ts';

describe('reading REST request fields', () => {
  it('decodes para JSON, keeping its types', () => {
    const fields = readQueryFields({ para: JSON.stringify({ app_id: 'a', limit: 20, spay_result: true }) });
    expect(fields.source).toBe('json');
    expect(fields.requiredInteger('limit')).toBe(20);
    expect(fields.optionalBoolean('spay_result')).toBe(true);
  });

  it('reads plain query parameters, accepting numbers and booleans as text', () => {
    const fields = readQueryFields({ app_id: 'a', limit: '20', spay_result: 'false' });
    expect(fields.source).toBe('query');
    expect(fields.requiredInteger('limit')).toBe(20);
    expect(fields.optionalBoolean('spay_result')).toBe(false);
  });

  it('refuses numbers as text in JSON, where types are known', () => {
    const fields = readQueryFields({ para: JSON.stringify({ limit: '20' }) });
    expect(refusal(() => fields.requiredInteger('limit')).detail).toMatch(/^limit: must be an integer/);
  });

  it.each([
    ['not JSON', '{app_id:'],
    ['an array', '[1,2]'],
    ['a string', '"x"'],
  ])('refuses a para that is %s', (_label, para) => {
    const error = refusal(() => readQueryFields({ para }));
    expect(error.toAnswer().result_msg).toBe('PARAM_INVALID');
    expect(error.detail).toMatch(/^para: /);
  });

  it('refuses para or a parameter given twice', () => {
    expect(refusal(() => readQueryFields({ para: ['{}', '{}'] })).detail).toMatch(/^para: /);
    expect(refusal(() => readQueryFields({ bill_no: ['a', 'b'] })).detail).toMatch(/^bill_no: /);
  });

  it('reads JSON bodies, and JSON sent as text', () => {
    expect(readBodyFields({ a: 1 }, 'application/json').values).toEqual({ a: 1 });
    expect(readBodyFields('{"a":1}', 'text/plain').values).toEqual({ a: 1 });
    expect(readBodyFields({ a: '1' }, 'application/x-www-form-urlencoded').source).toBe('query');
  });

  it('refuses a missing or non-object body', () => {
    expect(refusal(() => readBodyFields(undefined, undefined)).toAnswer().result_msg).toBe('MISS_PARAM');
    expect(refusal(() => readBodyFields([1], 'application/json')).detail).toMatch(/^body: /);
    expect(refusal(() => readBodyFields('nope', 'text/plain')).detail).toBe('body: is not valid JSON');
  });

  it('takes GET fields from the query and POST fields from the body', () => {
    const get = readRestFields({ method: 'GET', query: { a: 'q' }, body: { a: 'b' }, headers: {} });
    const post = readRestFields({ method: 'POST', query: { a: 'q' }, body: { a: 'b' }, headers: {} });
    expect(get.values.a).toBe('q');
    expect(post.values.a).toBe('b');
  });
});
