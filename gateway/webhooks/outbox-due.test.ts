/**
 * What the dispatcher reads and writes per pass and per delivery, on a real store (SQLite, and PostgreSQL under
 * `npm run test:postgres`): the due rows with at most so many per app and receiver URL, earliest first; a lease
 * taken on one row (answered as leased); an attempt recorded and the row moved on only by its lease holder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { OutboxRow } from '../storage/outbox-store.ts';
import type { GatewayStore } from '../storage/store.ts';
import { openTestStore } from '../testing/test-database.ts';
import { testApp } from '../testing/gateway-harness.ts';

const NOW = 1_790_000_000_000;
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function storeWithApps(appIds: string[]): Promise<GatewayStore> {
  const dir = await mkdtemp(join(tmpdir(), 'spay-outbox-due-'));
  const store = await openTestStore(dir);
  cleanups.push(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });
  for (const appId of appIds)
    await store.apps.seedApp(testApp({ appId, webhookUrl: 'https://shop.example/hook' }));
  return store;
}

let counter = 0;
async function enqueue(
  store: GatewayStore,
  appId: string,
  targetUrl: string,
  nextAttemptAt: number,
): Promise<string> {
  counter += 1;
  const id = `msg_due${String(counter).padStart(4, '0')}`;
  await store.outbox.enqueue({
    id,
    app_id: appId,
    bill_id: null,
    refund_id: null,
    transaction_type: 'PAY',
    transaction_id: `bill${counter}`,
    target_url: targetUrl,
    body: `{"transaction_id":"bill${counter}"}`,
    status: 'pending',
    attempt_count: 0,
    next_attempt_at: nextAttemptAt,
    created_at: NOW - 60_000,
    delivered_at: null,
  });
  return id;
}

const ids = (rows: OutboxRow[]) => rows.map((row) => row.id);

describe('the outbox as the dispatcher reads it', () => {
  it('takes the due rows earliest first, at most perTarget of each app’s receiver URL, whole', async () => {
    const store = await storeWithApps(['appA', 'appB']);
    const a1 = await enqueue(store, 'appA', 'https://a.example/hook', NOW - 50);
    const a2 = await enqueue(store, 'appA', 'https://a.example/hook', NOW - 40);
    await enqueue(store, 'appA', 'https://a.example/hook', NOW - 30); // over the cap of 2
    const aOther = await enqueue(store, 'appA', 'https://a.example/other', NOW - 20);
    const b1 = await enqueue(store, 'appB', 'https://a.example/hook', NOW - 45); // same URL, another app
    await enqueue(store, 'appB', 'https://b.example/hook', NOW + 1_000); // not due yet

    const due = await store.outbox.due(NOW, 10, 2);
    expect(ids(due)).toEqual([a1, b1, a2, aOther]);
    expect(due[0]).toMatchObject({
      app_id: 'appA',
      target_url: 'https://a.example/hook',
      body: '{"transaction_id":"bill1"}',
      status: 'pending',
      attempt_count: 0,
      next_attempt_at: NOW - 50,
      lease_until: null,
    });
    // The batch limit cuts after the earliest rows; without a cap every due row counts.
    expect(ids(await store.outbox.due(NOW, 2, 2))).toEqual([a1, b1]);
    expect(await store.outbox.due(NOW, 10)).toHaveLength(5);
  });

  it('leaves out rows leased to a dispatcher until the lease runs out', async () => {
    const store = await storeWithApps(['appA']);
    const first = await enqueue(store, 'appA', 'https://a.example/hook', NOW - 50);
    const second = await enqueue(store, 'appA', 'https://a.example/hook', NOW - 40);
    const third = await enqueue(store, 'appA', 'https://a.example/hook', NOW - 30);

    const claimed = await store.outbox.claimRow(first, NOW, { owner: 'dispatcher-1', leaseMs: 30_000 });
    expect(claimed).toMatchObject({ id: first, leased_by: 'dispatcher-1', lease_until: NOW + 30_000 });
    // The leased row does not count against the cap: the next two are taken.
    expect(ids(await store.outbox.due(NOW, 10, 2))).toEqual([second, third]);
    // Already leased: nobody else claims it, until its lease runs out.
    expect(
      await store.outbox.claimRow(first, NOW, { owner: 'dispatcher-2', leaseMs: 30_000 }),
    ).toBeUndefined();
    expect(ids(await store.outbox.due(NOW + 30_000, 10, 2))).toEqual([first, second]);
  });

  it('does not claim a row that is not due yet or no longer pending', async () => {
    const store = await storeWithApps(['appA']);
    const later = await enqueue(store, 'appA', 'https://a.example/hook', NOW + 5_000);
    const done = await enqueue(store, 'appA', 'https://a.example/hook', NOW - 10);
    await store.outbox.afterAttempt(done, { status: 'delivered', attemptCount: 1, deliveredAt: NOW });
    const lease = { owner: 'dispatcher-1', leaseMs: 30_000 };
    expect(await store.outbox.claimRow(later, NOW, lease)).toBeUndefined();
    expect(await store.outbox.claimRow(done, NOW, lease)).toBeUndefined();
    expect(await store.outbox.due(NOW, 10, 2)).toEqual([]);
  });

  it('records the attempt and moves the row on only for the dispatcher holding its lease', async () => {
    const store = await storeWithApps(['appA']);
    const id = await enqueue(store, 'appA', 'https://a.example/hook', NOW - 10);
    await store.outbox.claimRow(id, NOW, { owner: 'dispatcher-1', leaseMs: 30_000 });
    // Another dispatcher (whose lease ran out and was taken over) changes nothing.
    await store.outbox.afterAttempt(
      id,
      { status: 'delivered', attemptCount: 1, deliveredAt: NOW + 5 },
      'dispatcher-2',
    );
    expect((await store.outbox.list({ webhookId: id }, { skip: 0, limit: 1 }))[0]).toMatchObject({
      status: 'pending',
      leased_by: 'dispatcher-1',
    });

    await store.outbox.recordAttempt({
      outboxId: id,
      attemptedAt: NOW,
      httpStatus: 500,
      latencyMs: 12,
      responseExcerpt: 'fail',
      error: 'answer was not "success"',
    });
    await store.outbox.afterAttempt(
      id,
      { status: 'pending', attemptCount: 1, nextAttemptAt: NOW + 2_000 },
      'dispatcher-1',
    );
    expect((await store.outbox.list({ webhookId: id }, { skip: 0, limit: 1 }))[0]).toMatchObject({
      status: 'pending',
      attempt_count: 1,
      next_attempt_at: NOW + 2_000,
      lease_until: null,
      leased_by: null,
    });
    expect(await store.outbox.attemptsOf([id])).toMatchObject([
      { outbox_id: id, attempted_at: NOW, http_status: 500, latency_ms: 12, response_excerpt: 'fail' },
    ]);

    await store.outbox.claimRow(id, NOW + 2_000, { owner: 'dispatcher-1', leaseMs: 30_000 });
    await store.outbox.afterAttempt(id, { status: 'failed', attemptCount: 2 }, 'dispatcher-1');
    expect((await store.outbox.list({ webhookId: id }, { skip: 0, limit: 1 }))[0]).toMatchObject({
      status: 'failed',
      attempt_count: 2,
      leased_by: null,
    });
  });
});

describe('the due rows of many receivers', () => {
  it('are the first perTarget due rows of each receiver, earliest first (ties by id), up to the batch limit', async () => {
    const appIds = ['appA', 'appB', 'appC'];
    const store = await storeWithApps(appIds);
    const urls = ['https://a.example/hook', 'https://b.example/hook'];
    // A fixed pseudo-random mix: due and not yet due, equal due times, one receiver with a backlog.
    let seed = 7;
    const next = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed % n;
    };
    const rows: Array<{ id: string; app: string; url: string; at: number }> = [];
    for (let i = 0; i < 60; i += 1) {
      const app = i < 20 ? 'appA' : appIds[next(3)]!;
      const url = i < 20 ? urls[0]! : urls[next(2)]!;
      const at = NOW - 100 + 10 * next(15); // some after NOW: not due
      rows.push({ id: await enqueue(store, app, url, at), app, url, at });
    }
    const leased = rows.find((row) => row.at <= NOW)!;
    await store.outbox.claimRow(leased.id, NOW, { owner: 'dispatcher-1', leaseMs: 30_000 });

    const expected = (limit: number, perTarget: number) => {
      const due = rows
        .filter((row) => row.at <= NOW && row.id !== leased.id)
        .sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
      const taken = new Map<string, number>();
      return due
        .filter((row) => {
          const key = `${row.app} ${row.url}`;
          taken.set(key, (taken.get(key) ?? 0) + 1);
          return taken.get(key)! <= perTarget;
        })
        .slice(0, limit)
        .map((row) => row.id);
    };
    for (const [limit, perTarget] of [
      [100, 3],
      [100, 1],
      [7, 2],
      [100, 100],
    ] as const) {
      expect(ids(await store.outbox.due(NOW, limit, perTarget))).toEqual(expected(limit, perTarget));
    }
  });

  it('are read on SQLite through the pass indexes, one seek per receiver, never a scan of the backlog', async () => {
    const store = await storeWithApps(['appA']);
    if (!store.description.startsWith('sqlite:')) return; // the query plans asked of are SQLite's
    for (let i = 0; i < 5; i += 1) await enqueue(store, 'appA', 'https://a.example/hook', NOW - i);
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    try {
      expect(await store.outbox.due(NOW, 10, 2)).toHaveLength(2);
      // When the next pass is due: the earliest lease still running counts (a claimed row, leased for 30 s).
      const [first] = await store.outbox.due(NOW, 1, 1);
      await store.outbox.claimRow(first!.id, NOW, { owner: 'dispatcher-1', leaseMs: 30_000 });
      expect(await store.outbox.nextDueAfter(NOW)).toBe(NOW + 30_000);
      const prepared = prepare.mock.calls.map(([sql]) => sql);
      const leaseEnd = prepared.find((sql) => /min\(lease_until\)/.test(sql));
      expect(leaseEnd).toBeDefined();
      const walk = prepared.find((sql) => /with recursive receivers/.test(sql));
      const dueOfReceiver = prepared.find((sql) => /d\.app_id = \? and d\.target_url = \?/.test(sql));
      expect(walk).toBeDefined();
      expect(dueOfReceiver).toBeDefined();
      await store.durable();
      const sqlite = new Database(store.description.replace(/^sqlite:/, ''), { readonly: true });
      try {
        const plan = (text: string, ...values: unknown[]) =>
          (sqlite.prepare(`explain query plan ${text}`).all(...values) as Array<{ detail: string }>)
            .map((step) => step.detail)
            .filter((detail) => / (webhook_outbox|[cfnrd]) |TEMP B-TREE/.test(detail));
        // The walk: the first receiver (the index read in its order, `limit 1`: its first entry), then one seek
        // for the next URL of the app and one for the next app; the rows found, by id.
        expect(plan(walk!)).toEqual([
          'SCAN f USING COVERING INDEX webhook_outbox_pending_by_target',
          'SEARCH c USING INDEX sqlite_autoindex_webhook_outbox_1 (id=?)',
          'SEARCH n USING COVERING INDEX webhook_outbox_pending_by_target (app_id=? AND target_url>?)',
          'SEARCH n USING COVERING INDEX webhook_outbox_pending_by_target (app_id>?)',
          'SEARCH r USING INDEX sqlite_autoindex_webhook_outbox_1 (id=?)',
        ]);
        // A receiver's due rows: a range of the index, already in due order (no sort).
        expect(plan(dueOfReceiver!, 'appA', 'https://a.example/hook', NOW, NOW, 2)).toEqual([
          'SEARCH d USING INDEX webhook_outbox_pending_by_target (app_id=? AND target_url=? AND next_attempt_at<?)',
        ]);
        // The earliest lease still running: the first entry past `after` in the index of leased pending rows.
        expect(plan(leaseEnd!, NOW)).toEqual([
          'SEARCH webhook_outbox USING COVERING INDEX webhook_outbox_leases (lease_until>?)',
        ]);
      } finally {
        sqlite.close();
      }
    } finally {
      prepare.mockRestore();
    }
  });
});
