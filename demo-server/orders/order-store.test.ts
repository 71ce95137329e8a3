import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OrderStore, type Order } from './order-store.ts';

let dataDir: string;
let orders: OrderStore;
let announced: Order[];

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'spay-demo-orders-'));
  orders = OrderStore.inDataDir(dataDir);
  announced = [];
  orders.onChange((order) => announced.push(order));
  orders.createOrder({
    outTradeNo: 'order0001',
    title: 'product',
    amount: 100,
    optional: { key: 'value' },
    createdAt: 1,
  });
});

afterEach(() => {
  orders.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('the order store', () => {
  it('keeps orders in <dataDir>/demo.sqlite across restarts', () => {
    orders.markPaid('order0001', { channel: 'ALI', subChannel: 'ALI_WEB', paidAt: 2 });
    orders.close();
    orders = new OrderStore(join(dataDir, 'demo.sqlite'));
    expect(orders.findOrder('order0001')).toMatchObject({
      status: 'paid',
      optional: { key: 'value' },
      amount: 100,
    });
  });

  it('refuses a second order with the same out_trade_no and an amount that is not positive', () => {
    expect(() =>
      orders.createOrder({ outTradeNo: 'order0001', title: 'again', amount: 5, optional: {}, createdAt: 3 }),
    ).toThrow();
    expect(() =>
      orders.createOrder({ outTradeNo: 'order0002', title: 'free', amount: 0, optional: {}, createdAt: 3 }),
    ).toThrow();
    expect(orders.findOrder('order0001')?.amount).toBe(100);
    expect(orders.findOrder('order0002')).toBeUndefined();
  });

  it('announces a change only once its transaction commits, and never a rolled-back one', () => {
    announced = [];
    expect(() =>
      orders.transaction(() => {
        orders.markPaid('order0001', { channel: 'ALI', subChannel: 'ALI_WEB', paidAt: 2 });
        throw new Error('rolled back');
      }),
    ).toThrow('rolled back');
    expect(announced).toEqual([]);
    expect(orders.findOrder('order0001')?.status).toBe('created');

    orders.transaction(() => {
      orders.markPaid('order0001', { channel: 'ALI', subChannel: 'ALI_WEB', paidAt: 2 });
      expect(announced).toEqual([]);
    });
    expect(announced.map((order) => order.status)).toEqual(['paid']);
  });

  it('never moves a paid order back to created', () => {
    orders.markPaid('order0001', { channel: 'ALI', subChannel: 'ALI_WEB', paidAt: 2 });
    orders.addRefundRequest({
      refundNo: '20261123r0001',
      outTradeNo: 'order0001',
      refundFee: 100,
      requestedAt: 3,
    });
    orders.markPaid('order0001', { channel: 'WX', subChannel: 'WX_NATIVE', paidAt: 4 });
    expect(orders.findOrder('order0001')).toMatchObject({ status: 'refunding', channel: 'ALI', paidAt: 2 });
  });

  it('puts a refused refund request back to paid with the reason, and lists newest orders first', () => {
    orders.markPaid('order0001', { channel: 'ALI', subChannel: 'ALI_WEB', paidAt: 2 });
    orders.addRefundRequest({
      refundNo: '20261123r0001',
      outTradeNo: 'order0001',
      refundFee: 100,
      requestedAt: 3,
    });
    orders.markRefundRejected('20261123r0001', 'NETWORK_ERROR (15)', 4);
    expect(orders.findOrder('order0001')).toMatchObject({
      status: 'paid',
      lastRefund: { status: 'rejected', message: 'NETWORK_ERROR (15)' },
    });
    orders.createOrder({ outTradeNo: 'order0002', title: 'product', amount: 1, optional: {}, createdAt: 5 });
    expect(orders.listOrders().map((order) => order.outTradeNo)).toEqual(['order0002', 'order0001']);
  });
});
