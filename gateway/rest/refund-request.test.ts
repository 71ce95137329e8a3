import { describe, expect, it } from 'vitest';
import type { TSchema } from 'typebox';
import { checkWithSchema } from '../schema/request-validation.ts';
import { refusalOf as refusal } from '../testing/refusal.ts';
import { pagingFrom } from './list-query.ts';
import { refundApprovalFrom, refundQueryFrom, refundRequestFrom } from './refund-request.ts';
import { refundApprovalSchema, refundListQuery, refundRequestSchema } from './refund-schemas.ts';

const signature = { app_id: 'app', timestamp: 1, app_sign: '0'.repeat(32) };

/** As Fastify passes the request on after its schema. */
function checked<T>(schema: TSchema, values: Record<string, unknown>): T {
  return checkWithSchema<T>(schema, { ...signature, ...values }, 'body', { edge: 'rest' });
}
const readRefundRequest = (values: Record<string, unknown>) =>
  refundRequestFrom(checked(refundRequestSchema, values));
const readRefundApprovalRequest = (values: Record<string, unknown>) =>
  refundApprovalFrom(checked(refundApprovalSchema, values));
const readRefundListQuery = (values: Record<string, unknown>) => {
  const query = checked<
    Parameters<typeof refundQueryFrom>[0] & { skip?: number; limit?: number; need_detail?: boolean }
  >(refundListQuery, values);
  return { ...refundQueryFrom(query), ...pagingFrom(query), needDetail: query.need_detail ?? false };
};

const refund = { refund_no: '20261123001', bill_no: 'bill20261123001', refund_fee: 1 };

describe('refund requests', () => {
  it('reads a refund and a pre-refund', () => {
    expect(readRefundRequest(refund)).toEqual({
      refundNo: '20261123001',
      billNo: 'bill20261123001',
      refundFee: 1,
      channel: undefined,
      optional: undefined,
      needApproval: false,
    });
    const pre = readRefundRequest({ ...refund, need_approval: true, channel: 'WX' });
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
    const error = refusal(() => readRefundRequest(values));
    expect(error.toAnswer().result_msg).toBe(resultMsg);
    expect(error.detail.startsWith(`${field}: `)).toBe(true);
  });

  it('reads approvals and refuses bad ones', () => {
    const approval = readRefundApprovalRequest({
      channel: 'ALI',
      ids: ['a', 'b', 'a'],
      agree: false,
      deny_reason: 'no',
    });
    expect(approval).toEqual({ channel: { family: 'ALI' }, ids: ['a', 'b'], agree: false, denyReason: 'no' });
    const read = (values: Record<string, unknown>) => () => readRefundApprovalRequest(values);
    expect(refusal(read({ ids: ['a'], agree: true })).detail).toMatch(/^channel: /);
    expect(refusal(read({ channel: 'WX', ids: [], agree: true })).detail).toMatch(/^ids: /);
    expect(refusal(read({ channel: 'WX', ids: 'a', agree: true })).detail).toMatch(/^ids: /);
    expect(refusal(read({ channel: 'WX', ids: ['a'] })).detail).toMatch(/^agree: /);
  });

  it('applies the default and maximum page size to refund listings', () => {
    expect(readRefundListQuery({})).toMatchObject({
      skip: 0,
      limit: 10,
      needDetail: false,
    });
    const error = refusal(() => readRefundListQuery({ limit: 51 }));
    expect(error.detail).toMatch(/^limit: /);
  });
});
