import { describe, expect, it } from 'vitest';
import { DomainError } from '../core/domain-error.ts';
import { beeCloudErrorFor, resultNameFor } from './domain-errors.ts';

describe('core refusals at the edges', () => {
  it('names the field in the vocabulary of the edge that called', () => {
    const conflict = new DomainError('order_conflict', 'amount', 'order X already exists with amount 100');
    expect(beeCloudErrorFor(conflict, 'button').toAnswer()).toEqual({
      resultCode: 17,
      result_code: 17,
      result_msg: 'BILL_NO_DUPLICATE',
      err_detail: 'amount: order X already exists with amount 100',
    });
    expect(beeCloudErrorFor(conflict, 'rest').detail).toBe(
      'total_fee: order X already exists with amount 100',
    );
    const paid = new DomainError('order_paid', 'bill_no', 'order X is already paid');
    expect(beeCloudErrorFor(paid, 'button').field).toBe('out_trade_no');
    expect(beeCloudErrorFor(paid, 'rest').field).toBe('bill_no');
  });

  it('maps each reason to its BeeCloud result', () => {
    expect(resultNameFor(new DomainError('channel_not_configured', 'channel', 'x'))).toBe(
      'PAY_FACTOR_NOT_SET',
    );
    expect(resultNameFor(new DomainError('channel_unknown', 'channel', 'x'))).toBe('CHANNEL_INVALID');
    expect(resultNameFor(new DomainError('refund_too_large', 'refund_fee', 'x'))).toBe(
      'REFUND_AMOUNT_TOO_LARGE',
    );
    expect(beeCloudErrorFor(new DomainError('refund_refused', 'refund_no', 'no'), 'rest').httpStatus).toBe(
      200,
    );
  });
});
