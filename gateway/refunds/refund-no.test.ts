import { describe, expect, it } from 'vitest';
import { BeeCloudError } from '../errors/result-codes.ts';
import { refusalOf } from '../testing/refusal.ts';
import { checkRefundNo } from './refund-no.ts';

function refusal(refundNo: string): BeeCloudError {
  return refusalOf(() => checkRefundNo(refundNo), `${refundNo} was accepted`);
}

describe('refund_no rules', () => {
  it.each(['20260101001', '20261123abc', '2026112300000000000000000000001', '20240229A1b2C3'])(
    'accepts %s',
    (refundNo) => {
      expect(checkRefundNo(refundNo)).toBe(refundNo);
    },
  );

  it.each([
    ['too short serial', '2026010101'],
    ['too long serial', '20260101' + '1'.repeat(25)],
    ['not alphanumeric', '20260101-001'],
    ['no date', 'abcdefgh001'],
    ['empty', ''],
  ])('refuses %s', (_label, refundNo) => {
    const error = refusal(refundNo);
    expect(error.toAnswer().result_msg).toBe('PARAM_INVALID');
    expect(error.detail).toMatch(/^refund_no: /);
  });

  it('refuses a date that is not on the calendar', () => {
    expect(refusal('20261301001').detail).toContain('real date');
    expect(refusal('20250229001').detail).toContain('real date');
  });

  it('refuses the all-zero serial', () => {
    expect(refusal('20261123000').detail).toContain('000');
    expect(refusal('202611230000').detail).toContain('000');
  });
});
