/**
 * The sweeps' partial indexes (migration 160): a bill is in `bills_reconcile` only while it has a reconciliation
 * time, in `bills_close_pending` only while a close at its channel is pending, and the sweeps find what they look
 * for, reading those indexes (the query plans of the store's own statements, with the values it bound).
 */
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { newBillId } from '../bills/bill-id.ts';
import { useTestResources } from '../testing/test-resources.ts';
import type { GatewayStore } from './store.ts';

const resources = useTestResources({ prefix: 'spay-sweep-indexes-' });

async function newAttempt(store: GatewayStore, appId: string, billNo: string, reconcileAt: number | null) {
  const id = newBillId();
  await store.transaction(async (tx) => {
    await tx.bills.insertOrder({ appId, mode: 'live', billNo, title: 'tea', totalFee: 1 }, 1_000);
    await tx.bills.insertBill({
      id,
      appId,
      billNo,
      mode: 'live',
      channel: 'ALI',
      subChannel: 'ALI_WEB',
      title: 'tea',
      totalFee: 1,
      returnUrl: null,
      notifyUrl: null,
      optional: null,
      openid: null,
      createTime: 1_000,
      expiresAt: null,
      reconcileAt,
    });
  });
  return id;
}

describe('the sweep indexes', () => {
  it('hold only the bills their sweeps look for, and the sweeps read them', async () => {
    // Every statement the store prepares, to ask SQLite how it runs the sweeps' reads.
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const store = await resources.openStore();
    const app = await resources.seededApp(store, '');
    const unreconciled = await newAttempt(store, app.appId, 'never-asked', null);
    const due = await newAttempt(store, app.appId, 'asked-at-2000', 2_000);
    const closing = await newAttempt(store, app.appId, 'closing', 3_000);
    expect(await store.transaction((tx) => tx.bills.closeOpen(closing, 'closed', 4_000, true))).toBe(true);

    expect((await store.bills.dueForReconciliation(5_000, 10)).map((bill) => bill.id)).toEqual([due]);
    expect((await store.bills.pendingChannelCloses(5_000, 10)).map((bill) => bill.id)).toEqual([closing]);
    expect(
      (await store.transaction((tx) => tx.bills.claimChannelCloses(5_000, 10, 60_000))).map(
        (bill) => bill.id,
      ),
    ).toEqual([closing]);
    expect(await store.bills.findBill(unreconciled)).toMatchObject({ status: 'open' });
    expect(await store.bills.openPastExpiry(5_000, 10)).toEqual([]);

    // Committed and on disk, as before any answer: another connection sees it.
    await store.durable();
    const file = store.description.replace(/^sqlite:/, '');
    const sqlite = new Database(file, { readonly: true });
    try {
      const ids = (sql: string, ...values: unknown[]) =>
        (sqlite.prepare(sql).all(...values) as Array<{ id: string }>).map((row) => row.id);
      // What each index holds (a full scan of the index, in its order).
      expect(
        ids(
          `select id from bills indexed by bills_reconcile where status = 'open' and reconcile_at is not null`,
        ),
      ).toEqual([due]);
      expect(
        ids('select id from bills indexed by bills_close_pending where channel_close_pending = 1'),
      ).toEqual([closing]);
      // The sweeps' own statements, as the store prepared them, with the values it bound.
      const preparedSql = prepare.mock.calls.map(([text]) => text);
      const sweep = (pattern: RegExp) => {
        const found = preparedSql.filter((text) => /^select/i.test(text) && pattern.test(text));
        expect(found).toHaveLength(1);
        return found[0]!;
      };
      const plan = (text: string, ...values: unknown[]) =>
        (sqlite.prepare(`explain query plan ${text}`).all(...values) as Array<{ detail: string }>)
          .map((row) => row.detail)
          .join('; ');
      const reconciliation = sweep(
        /"status" = 'open' and "reconcile_at" is not null[\s\S]*order by "reconcile_at"[\s\S]*limit \?$/,
      );
      expect(plan(reconciliation, 5_000, 10)).toMatch(
        /^SEARCH bills USING INDEX bills_reconcile \([^)]*reconcile_at<\?\)$/,
      );
      const expiry = sweep(/"status" = 'open' and "expires_at" is not null and "expires_at" <= \? limit \?$/);
      expect(plan(expiry, 5_000, 10)).toMatch(
        /^SEARCH bills USING INDEX bills_open_expiry \([^)]*expires_at<\?\)$/,
      );
      const channelCloses = sweep(/"channel_close_pending" = 1[\s\S]*limit \?$/);
      expect(plan(channelCloses, 5_000, 10)).toMatch(
        /^SEARCH bills USING INDEX bills_close_pending \([^)]*reconcile_at<\?\)$/,
      );
    } finally {
      sqlite.close();
    }
  });
});
