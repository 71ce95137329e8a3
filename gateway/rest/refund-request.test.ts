import { describe, expect, it } from 'vitest';
import { RequestFields } from './request-fields.ts';
import { refusalOf as refusal } from '../testing/refusal.ts';
import { readRefundApprovalRequest, readRefundListQuery, readRefundRequest } from './refund-request.ts';

const refund = { refund_no: '20261123001', bill_no: 'bill20261123001', refund_fee: 1 };

describe('refund requests', () => {
  it('reads a refund and a pre-refund', () => {
    expect(readRefundRequest(new RequestFields(refund, 'json'))).toEqual({
      refundNo: '20261123001',
      billNo: 'bill20261123001',
      refundFee: 1,
      channel: undefined,
      optional: undefined,
      needApproval: false,
    });
    const pre = readRefundRequest(
      new RequestFields({ ...refund, need_approval: true, channel: 'WX' }, 'json'),
    );
    expect(pre).toMatchObject({ needApproval: true, channel: { family: 'WX' } });
  });

  it.each([
    [{ ...refund, refund_no: undefined }, 'MISS_PARAM', 'refund_no'],
    [{ ...refund, refund_no: '20261123000' }, 'PARAM_INVALID', 'refund_no'],
    [{ ...refund, bill_no: undefined }, 'MISS_PARAM', 'bill_no'],
    [{ ...refund, refund_fee: 0 }, 'PARAM_INVALID', 'refund_fee'],
    [{ ...refund, refund_fee: -5 }, 'PARAM_INVALID', 'refund_fee'],
    [{ ...refund, channel: 'JD' }, 'CHANNEL_INVALID', 'channel'],
    [{ ...refund, need_approval: 'yes' }, 'PARAM_INVALID', 'need_approval'],
  ])('refuses %j', (values, resultMsg, field) => {
    const error = refusal(() => readRefundRequest(new RequestFields(values, 'json')));
    expect(error.toAnswer().result_msg).toBe(resultMsg);
    expect(error.detail.startsWith(`${field}: `)).toBe(true);
  });

  it('reads approvals and refuses bad ones', () => {
    const approval = readRefundApprovalRequest(
      new RequestFields({ channel: 'ALI', ids: ['a', 'b', 'a'], agree: false, deny_reason: 'no' }, 'json'),
    );
    expect(approval).toEqual({ channel: { family: 'ALI' }, ids: ['a', 'b'], agree: false, denyReason: 'no' });
    const read = (values: Record<string, unknown>) => () =>
      readRefundApprovalRequest(new RequestFields(values, 'json'));
    expect(refusal(read({ ids: ['a'], agree: true })).detail).toMatch(/^channel: /);
    expect(refusal(read({ channel: 'WX', ids: [], agree: true })).detail).toMatch(/^ids: /);
    expect(refusal(read({ channel: 'WX', ids: 'a', agree: true })).detail).toMatch(/^ids: /);
    expect(refusal(read({ channel: 'WX', ids: ['a'] })).detail).toMatch(/^agree: /);
  });

  it('applies the default and maximum page size to refund listings', () => {
    expect(readRefundListQuery(new RequestFields({}, 'json'))).toMatchObject({
      skip: 0,
      limit: 10,
      needDetail: false,
    });
    const error = refusal(() => readRefundListQuery(new RequestFields({ limit: 51 }, 'json')));
    expect(error.detail).toMatch(/^limit: /);
  });
});
