import { describe, expect, it } from 'vitest';
import { bulkFailures, bulkSucceeded } from './bulk-summary.ts';

describe('bulk summaries', () => {
  it('counts successes and names each refusal', () => {
    const results = {
      r1: { ok: true as const },
      r2: { ok: false as const, code: 'not_pending', message: 'already decided' },
      r3: { ok: true as const },
    };
    expect(bulkSucceeded(results)).toBe(2);
    expect(bulkFailures(results)).toEqual(['r2: already decided']);
  });
});
