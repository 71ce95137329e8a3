/**
 * A new attempt is answered as stored: `insertBill` (compiled once, no `returning`) answers exactly what a read of
 * the bill gives back, for bills with and without their optional fields, on the run's engine (SQLite, or
 * PostgreSQL under `npm run test:postgres`); its public status read (`findBillStatus`, 12 columns) gives the same
 * values.
 */
import { describe, expect, it } from 'vitest';
import { newBillId } from '../bills/bill-id.ts';
import { useTestResources } from '../testing/test-resources.ts';
import type { NewBill } from './bill-store.ts';

const resources = useTestResources({ prefix: 'spay-bill-insert-' });

describe('a new attempt', () => {
  it('is answered as a read of the stored bill gives it back, the order created once', async () => {
    const store = await resources.openStore();
    const app = await resources.seededApp(store, '');
    const now = Date.now();
    const attempts: NewBill[] = [
      {
        id: newBillId(),
        appId: app.appId,
        billNo: 'order-1',
        mode: 'test',
        channel: 'WX',
        subChannel: 'WX_NATIVE',
        title: '咖啡 coffee',
        totalFee: 1,
        returnUrl: null,
        notifyUrl: null,
        optional: null,
        openid: null,
        createTime: now,
        expiresAt: null,
        reconcileAt: null,
      },
      {
        id: newBillId(),
        appId: app.appId,
        billNo: 'order-2',
        mode: 'live',
        channel: 'ALI',
        subChannel: 'ALI_WEB',
        title: 'tea',
        totalFee: 123_456_789,
        returnUrl: 'https://shop.example/return',
        notifyUrl: 'https://shop.example/notify',
        optional: { table: 7, note: 'no sugar' },
        openid: 'o-payer',
        createTime: now + 1,
        expiresAt: now + 7_200_000,
        reconcileAt: now + 30_000,
      },
    ];
    for (const attempt of attempts) {
      const answered = await store.transaction(async (tx) => {
        const key = { appId: attempt.appId, mode: attempt.mode, billNo: attempt.billNo };
        expect(
          await tx.bills.insertOrder({ ...key, title: attempt.title, totalFee: attempt.totalFee }, now),
        ).toBe('created');
        expect(
          await tx.bills.insertOrder({ ...key, title: attempt.title, totalFee: attempt.totalFee }, now),
        ).toBe('exists');
        return tx.bills.insertBill(attempt);
      });
      expect(answered).toEqual(await store.bills.findBill(attempt.id));
      expect(await store.bills.findBillStatus(attempt.id)).toEqual({
        id: answered.id,
        appId: answered.appId,
        billNo: answered.billNo,
        title: answered.title,
        totalFee: answered.totalFee,
        channel: answered.channel,
        subChannel: answered.subChannel,
        status: answered.status,
        createTime: answered.createTime,
        tradeNo: answered.tradeNo,
        expiresAt: answered.expiresAt,
        version: answered.version,
      });
      expect(answered).toMatchObject({
        billNo: attempt.billNo,
        totalFee: attempt.totalFee,
        optional: attempt.optional,
        status: 'open',
        spayResult: false,
        version: 0,
      });
    }
  });
});
