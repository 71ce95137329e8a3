import { describe, expect, it } from 'vitest';
import { paidOrderProblems, type GatewayRecords } from './gateway-database.ts';

function records(overrides: Partial<GatewayRecords> = {}): GatewayRecords {
  return {
    orders: [{ bill_no: 'ORDER0001', total_fee: 100, status: 'paid', paid_bill_id: 'b2' }],
    bills: [
      {
        id: 'b1',
        bill_no: 'ORDER0001',
        status: 'closed',
        total_fee: 100,
        spay_result: 0,
        trade_no: null,
        refund_required: 0,
      },
      {
        id: 'b2',
        bill_no: 'ORDER0001',
        status: 'paid',
        total_fee: 100,
        spay_result: 1,
        trade_no: 'T1',
        refund_required: 0,
      },
    ],
    webhooks: [
      {
        id: 'w1',
        transaction_id: 'ORDER0001',
        transaction_type: 'PAY',
        status: 'delivered',
        attempt_count: 2,
        bill_id: 'b2',
      },
    ],
    ...overrides,
  };
}

const expected = new Map([['ORDER0001', 100]]);

describe('the states paid orders must be in after a reliability run', () => {
  it('finds nothing wrong with an order paid once, its other attempt closed, its webhook delivered', () => {
    expect(paidOrderProblems(records(), expected)).toEqual({
      problems: [],
      paidOrders: 1,
      deliveredWebhooks: 1,
    });
  });

  it('names an order paid twice, an attempt left open, and a webhook not delivered', () => {
    const broken = records({
      bills: [
        {
          id: 'b1',
          bill_no: 'ORDER0001',
          status: 'paid',
          total_fee: 100,
          spay_result: 1,
          trade_no: 'T0',
          refund_required: 0,
        },
        {
          id: 'b2',
          bill_no: 'ORDER0001',
          status: 'paid',
          total_fee: 100,
          spay_result: 1,
          trade_no: 'T1',
          refund_required: 0,
        },
        {
          id: 'b3',
          bill_no: 'ORDER0001',
          status: 'open',
          total_fee: 100,
          spay_result: 0,
          trade_no: null,
          refund_required: 0,
        },
      ],
      webhooks: [],
    });
    const { problems } = paidOrderProblems(broken, expected);
    expect(problems).toEqual([
      'ORDER0001: 2 paid attempts',
      'ORDER0001: attempt b3 still open after the order was paid',
      'ORDER0001: PAY webhook not delivered',
    ]);
  });

  it('names a changed amount, a missing order, and an order nobody paid that is paid', () => {
    const changed = records({
      orders: [
        { bill_no: 'ORDER0001', total_fee: 1, status: 'paid', paid_bill_id: 'b2' },
        { bill_no: 'STRANGER1', total_fee: 5, status: 'paid', paid_bill_id: 'x' },
      ],
    });
    const { problems } = paidOrderProblems(changed, new Map([...expected, ['MISSING01', 7]]));
    expect(problems).toContain('ORDER0001: amount 1 ≠ 100');
    expect(problems).toContain('MISSING01: no order');
    expect(problems).toContain('STRANGER1: paid, but nobody paid it');
  });
});
