/**
 * Fills a gateway's store with many bills fast, for the benchmark of the store at 10 k, 100 k and 1 M bills: one
 * `INSERT … SELECT` per table over a generated series, in one transaction, straight into the tables the gateway's
 * migrations made (the gateway is started first: it creates the schema and seeds the app). Nothing goes through
 * HTTP; a million bills take seconds rather than hours.
 *
 * Filled bill `i` (0, 1, 2, …, older as `i` grows, one second apart, before `newestTime`):
 *   - channel by `i % 4`: WX_NATIVE, ALI_QRCODE, WX_JSAPI, UN_WEB (so `channel=WX` holds the even ones);
 *   - paid when `i % 3 == 0` (spay_result 1, its order paid), else expired long ago (nothing left for the
 *     gateway's expiry or reconciliation passes to do during a benchmark);
 *   - so `channel=WX&spay_result=true` holds exactly the bills with `i % 6 == 0`.
 * Its id is UUID-shaped (`f1110000-0000-4000-8000-` and `i` on 12 digits), its bill_no `F` and `i`.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';

export interface FillTarget {
  /** The gateway's data folder (SQLite: `<dataDir>/gateway.sqlite`), unless `databaseUrl` is given. */
  dataDir: string;
  databaseUrl?: string;
  appId: string;
  mode: 'test' | 'live';
  /** create_time of bill 0 (ms); bill i is `newestTime - i * 1000`. */
  newestTime: number;
}

export const FILL_STEP_MS = 1000;

/** The id of filled bill `i`. */
export function filledBillId(i: number): string {
  return `f1110000-0000-4000-8000-${String(i).padStart(12, '0')}`;
}

export function filledCreateTime(target: Pick<FillTarget, 'newestTime'>, i: number): number {
  return target.newestTime - i * FILL_STEP_MS;
}

/** Adds filled bills `from` … `to - 1` (and their orders) in one transaction. */
export async function fillBills(target: FillTarget, from: number, to: number): Promise<void> {
  if (to <= from) return;
  if (target.databaseUrl) await fillPostgres(target, from, to);
  else fillSqlite(target, from, to);
}

const CHANNEL = `CASE i % 4 WHEN 1 THEN 'ALI' WHEN 3 THEN 'UN' ELSE 'WX' END`;
const SUB_CHANNEL = `CASE i % 4 WHEN 0 THEN 'WX_NATIVE' WHEN 1 THEN 'ALI_QRCODE' WHEN 2 THEN 'WX_JSAPI' ELSE 'UN_WEB' END`;

/** Both statements, over a series `n(i)` the engine makes; `$id` is the engine's text of the id. */
function statements(idExpression: string, series: string) {
  const time = `(@newest - i * ${FILL_STEP_MS})`;
  const orders = `
    INSERT INTO orders (app_id, mode, bill_no, title, total_fee, status, paid_bill_id, create_time)
    SELECT @app, @mode, 'F' || i, 'filled order', 100 + i % 900,
           CASE WHEN i % 3 = 0 THEN 'paid' ELSE 'open' END,
           CASE WHEN i % 3 = 0 THEN ${idExpression} END, ${time}
    FROM ${series}`;
  const bills = `
    INSERT INTO bills (id, app_id, bill_no, mode, channel, sub_channel, title, total_fee, status, spay_result,
                       trade_no, create_time, paid_time, closed_time, expires_at)
    SELECT ${idExpression}, @app, 'F' || i, @mode, ${CHANNEL}, ${SUB_CHANNEL}, 'filled order', 100 + i % 900,
           CASE WHEN i % 3 = 0 THEN 'paid' ELSE 'expired' END,
           CASE WHEN i % 3 = 0 THEN 1 ELSE 0 END,
           CASE WHEN i % 3 = 0 THEN 'FILL' || i END,
           ${time},
           CASE WHEN i % 3 = 0 THEN ${time} + 5000 END,
           CASE WHEN i % 3 = 0 THEN NULL ELSE ${time} + 7200000 END,
           ${time} + 7200000
    FROM ${series}`;
  return { orders, bills };
}

function fillSqlite(target: FillTarget, from: number, to: number): void {
  const db = new Database(join(target.dataDir, 'gateway.sqlite'));
  try {
    db.pragma('busy_timeout = 30000');
    const series = `(WITH RECURSIVE n(i) AS (SELECT @from UNION ALL SELECT i + 1 FROM n WHERE i + 1 < @to) SELECT i FROM n)`;
    const { orders, bills } = statements(`printf('f1110000-0000-4000-8000-%012d', i)`, series);
    const parameters = {
      app: target.appId,
      mode: target.mode,
      newest: target.newestTime,
      from,
      to,
    };
    db.transaction(() => {
      db.prepare(orders).run(parameters);
      db.prepare(bills).run(parameters);
    })();
    // The gateway reads through the WAL: fold it into the database file as a long-running store would have
    // (else the gateway's first commits would checkpoint the whole fill on its event loop).
    const [outcome] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number; log: number }[];
    if (outcome === undefined || outcome.busy !== 0) {
      throw new Error(`fill: the WAL could not be checkpointed (${JSON.stringify(outcome)})`);
    }
  } finally {
    db.close();
  }
}

async function fillPostgres(target: FillTarget, from: number, to: number): Promise<void> {
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    const series = `generate_series($4::bigint, $5::bigint - 1) AS n(i)`;
    const { orders, bills } = statements(`'f1110000-0000-4000-8000-' || lpad(i::text, 12, '0')`, series);
    const numbered = (text: string) =>
      text.replaceAll('@app', '$1::text').replaceAll('@mode', '$2::text').replaceAll('@newest', '$3::bigint');
    const parameters = [target.appId, target.mode, target.newestTime, from, to];
    await client.query('BEGIN');
    try {
      await client.query(numbered(orders), parameters);
      await client.query(numbered(bills), parameters);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    }
    // What autovacuum would do after such a load: fresh statistics for the planner.
    await client.query('ANALYZE orders');
    await client.query('ANALYZE bills');
  } finally {
    await client.end();
  }
}
