import { describe, expect, it } from 'vitest';
import { BeeCloudError } from '../errors/result-codes.ts';
import { decodeListCursor, encodeListCursor } from './list-cursor.ts';

describe('GET bills keyset cursors', () => {
  it('names the same position it was made from, as URL-safe text', () => {
    const position = { createTime: 1_764_700_000_123, id: 'f1110000-0000-4000-8000-000000000042' };
    const cursor = encodeListCursor(position);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeListCursor(cursor)).toEqual(position);
  });

  it('refuses anything it did not give out, naming the cursor field', () => {
    const made = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const bad of [
      'not base64url!',
      made([1]),
      made({ t: 1, id: 'x' }),
      made([-1, 'x']),
      made([1.5, 'x']),
      made([1, '']),
      made([1, 'x'.repeat(65)]),
      made(['1', 'x']),
      'x'.repeat(300),
    ]) {
      let refusal: unknown;
      try {
        decodeListCursor(bad);
      } catch (error) {
        refusal = error;
      }
      expect(refusal, bad).toBeInstanceOf(BeeCloudError);
      expect((refusal as BeeCloudError).message, bad).toMatch(/cursor/);
    }
  });
});
