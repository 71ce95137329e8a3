/**
 * The outbox store: webhook deliveries (`webhook_outbox`) and every attempt at them (`webhook_attempts`).
 * `enqueue` runs in the caller's transaction, so a webhook exists exactly when the change that caused it does.
 * Dispatchers `claimDue` what they send: the rows are leased to them for a while (`FOR UPDATE SKIP LOCKED` on
 * PostgreSQL, so instances claiming at once take different rows), and a lease that runs out (its instance died)
 * makes the row due again.
 */
import { CompiledQuery, sql, type Selectable } from 'kysely';
import { engineOf, type SqlEngine } from './dialect.ts';
import type { GatewayTx, WebhookAttemptTable, WebhookOutboxTable } from './tables.ts';

export type OutboxRow = Selectable<WebhookOutboxTable>;
export type AttemptRow = Selectable<WebhookAttemptTable>;
export type DeliveryStatus = WebhookOutboxTable['status'];

export interface DeliveryFilter {
  appId?: string;
  transactionType?: 'PAY' | 'REFUND' | 'TRANSFER' | 'SUBSCRIPTION';
  /** bill_no or refund_no */
  transactionId?: string;
  webhookId?: string;
  status?: DeliveryStatus;
}

export interface NewAttempt {
  outboxId: string;
  attemptedAt: number;
  httpStatus: number | null;
  latencyMs: number;
  responseExcerpt: string;
  error: string | null;
}

export interface OutboxLease {
  /** The dispatcher taking the rows (one id per running dispatcher). */
  owner: string;
  /** How long they are its own: longer than one delivery attempt takes. */
  leaseMs: number;
}

/**
 * The statements the webhook dispatcher runs for every delivery (lease the row, record the attempt, move the row
 * on), written out as SQL once instead of built through Kysely's query builder each time: building and compiling
 * them cost the dispatcher about as much CPU as SQLite spent running them (issue 15). Plain SQL both engines read
 * alike; `?` becomes `$1, $2 …` for PostgreSQL. The texts never change, so SQLite's statement cache
 * (statement-cache.ts) prepares each once.
 */
const deliveryStatements = {
  /** Leases one due row and answers it as leased (`returning`: no second read of the row). */
  claimRow:
    "update webhook_outbox set lease_until = ?, leased_by = ? where id = ? and status = 'pending' and next_attempt_at <= ? and (lease_until is null or lease_until <= ?) returning *",
  recordAttempt:
    'insert into webhook_attempts (outbox_id, attempted_at, http_status, latency_ms, response_excerpt, error) values (?, ?, ?, ?, ?, ?)',
  delivered:
    "update webhook_outbox set status = 'delivered', attempt_count = ?, delivered_at = ?, lease_until = null, leased_by = null where id = ? and status = 'pending'",
  failed:
    "update webhook_outbox set status = 'failed', attempt_count = ?, lease_until = null, leased_by = null where id = ? and status = 'pending'",
  retry:
    "update webhook_outbox set attempt_count = ?, next_attempt_at = ?, lease_until = null, leased_by = null where id = ? and status = 'pending'",
} as const;

/**
 * `due` with at most `perTarget` rows per app and receiver URL, read through `webhook_outbox_pending_by_target`
 * (`status = 'pending'` written as a literal: SQLite uses a partial index only then). `receivers` is a loose scan of
 * that index: the first pending row, then, again and again, the first pending row of the next URL of the same app or
 * else of the next app — one index seek per receiver (a row-value `(app_id, target_url) >` comparison seeked on
 * app_id alone and walked the receiver's whole backlog). Each receiver's due rows come from the same index, in due
 * order, `limit perTarget`. SQLite is told the index (`indexed by`: left to itself it took `webhook_outbox_due`,
 * whose `status` prefix covers the whole backlog, and sorted).
 */
function duePerTargetStatements(engine: SqlEngine) {
  // The outbox read through the partial index, as `alias`.
  const pending = (alias: string) =>
    `webhook_outbox as ${alias}${engine === 'sqlite' ? ' indexed by webhook_outbox_pending_by_target' : ''}`;
  const receivers = `with recursive receivers(id) as (
  select (select f.id from ${pending('f')} where f.status = 'pending' order by f.app_id, f.target_url limit 1)
  union all
  select coalesce(
    (select n.id from ${pending('n')}
      where n.status = 'pending' and n.app_id = c.app_id and n.target_url > c.target_url
      order by n.target_url limit 1),
    (select n.id from ${pending('n')}
      where n.status = 'pending' and n.app_id > c.app_id
      order by n.app_id, n.target_url limit 1))
  from receivers join webhook_outbox as c on c.id = receivers.id
)`;
  const dueOfReceiver = (receiver: { app: string; url: string }) => `select d.* from ${pending('d')}
  where d.status = 'pending' and d.app_id = ${receiver.app} and d.target_url = ${receiver.url}
    and d.next_attempt_at <= ? and (d.lease_until is null or d.lease_until <= ?)
  order by d.next_attempt_at, d.id limit ?`;
  let place = 0;
  const numbered = (text: string) => text.replace(/\?/g, () => `$${(place += 1)}`);
  return {
    /** SQLite: the receivers, then each one's due rows (SQLite has no LATERAL join; a statement costs no trip). */
    receivers: `${receivers}
select r.app_id, r.target_url from receivers join webhook_outbox as r on r.id = receivers.id`,
    dueOfReceiver: dueOfReceiver({ app: '?', url: '?' }),
    /** PostgreSQL: one statement, each receiver's rows by a LATERAL join. */
    duePerReceiver: numbered(`${receivers}
select o.* from receivers
  join webhook_outbox as r on r.id = receivers.id
  cross join lateral (${dueOfReceiver({ app: 'r.app_id', url: 'r.target_url' })}) as o
order by o.next_attempt_at, o.id limit ?`),
  };
}
const duePerTarget = {
  sqlite: duePerTargetStatements('sqlite'),
  postgres: duePerTargetStatements('postgres'),
};

/**
 * The end of the earliest lease still running after `?`, from `webhook_outbox_leases` (migration 170: pending rows
 * with a lease only; its conditions written as literals, and SQLite told the index — left to itself it took
 * `webhook_outbox_due`, whose `status` prefix covers the whole backlog).
 */
const leaseEndAfter: Record<SqlEngine, string> = {
  sqlite:
    "select min(lease_until) as at from webhook_outbox indexed by webhook_outbox_leases where status = 'pending' and lease_until is not null and lease_until > ?",
  postgres:
    "select min(lease_until) as at from webhook_outbox where status = 'pending' and lease_until is not null and lease_until > $1",
};

type DeliveryStatementName =
  keyof typeof deliveryStatements | 'deliveredLeased' | 'failedLeased' | 'retryLeased';

/** Each statement's text for each engine, built once. */
const deliveryStatementTexts = new Map<string, string>();

/** The text of a delivery statement for `engine`; the `…Leased` forms add `and leased_by = ?` (the lease holder). */
export function deliveryStatement(name: DeliveryStatementName, engine: SqlEngine): string {
  const key = `${engine} ${name}`;
  let text = deliveryStatementTexts.get(key);
  if (text === undefined) {
    const leased = name.endsWith('Leased');
    const base = deliveryStatements[name.replace(/Leased$/, '') as keyof typeof deliveryStatements];
    text = leased ? `${base} and leased_by = ?` : base;
    if (engine === 'postgres') {
      let place = 0;
      text = text.replace(/\?/g, () => `$${(place += 1)}`);
    }
    deliveryStatementTexts.set(key, text);
  }
  return text;
}

export class OutboxStore {
  private readonly engine: SqlEngine;

  constructor(private readonly db: GatewayTx) {
    this.engine = engineOf(db);
  }

  private run<R>(name: DeliveryStatementName, parameters: unknown[]) {
    return this.db.executeQuery<R>(CompiledQuery.raw(deliveryStatement(name, this.engine), parameters));
  }

  async enqueue(row: Omit<OutboxRow, 'lease_until' | 'leased_by'>): Promise<void> {
    await this.db
      .insertInto('webhook_outbox')
      .values({ ...row, lease_until: null, leased_by: null })
      .execute();
  }

  /** The first `limit` pending deliveries due at `now` that nobody holds (or whose lease ran out), earliest first. */
  private dueUnleased(now: number, limit: number) {
    return this.db
      .selectFrom('webhook_outbox')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
      .orderBy('next_attempt_at')
      .limit(limit);
  }

  /**
   * Takes up to `limit` pending deliveries due at `now` that nobody holds (earliest first) and leases them to
   * `lease.owner`. Run it in a transaction (`store.transaction`); rows another instance is claiming at that moment
   * are skipped, not waited for.
   */
  async claimDue(now: number, limit: number, lease: OutboxLease): Promise<OutboxRow[]> {
    const rows = await this.dueUnleased(now, limit)
      .$if(engineOf(this.db) === 'postgres', (query) => query.forUpdate().skipLocked())
      .execute();
    if (rows.length === 0) return [];
    const leaseUntil = now + lease.leaseMs;
    await this.db
      .updateTable('webhook_outbox')
      .set({ lease_until: leaseUntil, leased_by: lease.owner })
      .where(
        'id',
        'in',
        rows.map((row) => row.id),
      )
      .execute();
    // Object.assign, not `{ ...row, lease_until, … }` (V8's slow path on Node 20: see okAnswer).
    return rows.map((row) => Object.assign(row, { lease_until: leaseUntil, leased_by: lease.owner }));
  }

  /**
   * Leases one due row to `lease.owner`; undefined when it is leased by another, no longer pending, or not due (a
   * dispatcher's copy read before its last attempt, which failed and set the next retry: not sent again early).
   */
  async claimRow(id: string, now: number, lease: OutboxLease): Promise<OutboxRow | undefined> {
    const leaseUntil = now + lease.leaseMs;
    const result = await this.run<OutboxRow>('claimRow', [leaseUntil, lease.owner, id, now, now]);
    return result.rows[0];
  }

  /** Gives back the leases of `owner` (a dispatcher stopping), or every lease (a SQLite gateway starting). */
  async releaseLeases(owner?: string): Promise<void> {
    let query = this.db
      .updateTable('webhook_outbox')
      .set({ lease_until: null, leased_by: null })
      .where('leased_by', 'is not', null);
    if (owner !== undefined) query = query.where('leased_by', '=', owner);
    await query.execute();
  }

  /**
   * Pending deliveries due at `now` and leased by nobody (or by a lease that ran out), earliest first. With
   * `perTarget`, at most that many of each app's receiver URL: one receiver's backlog (it hangs, the merchant's
   * server is down) never fills the batch and hides the other apps' deliveries from the dispatcher. That read walks
   * `webhook_outbox_pending_by_target` (migration 170) from one receiver to the next and takes the first due rows of
   * each: its cost follows the receivers and the rows taken, not the backlog.
   */
  async due(now: number, limit: number, perTarget?: number): Promise<OutboxRow[]> {
    if (perTarget === undefined) return this.dueUnleased(now, limit).execute();
    const statements = duePerTarget[this.engine];
    const query = <R>(text: string, parameters: unknown[]) =>
      this.db.executeQuery<R>(CompiledQuery.raw(text, parameters));
    if (this.engine === 'postgres') {
      return (await query<OutboxRow>(statements.duePerReceiver, [now, now, perTarget, limit])).rows;
    }
    const receivers = await query<{ app_id: string; target_url: string }>(statements.receivers, []);
    const due: OutboxRow[] = [];
    for (const receiver of receivers.rows) {
      const parameters = [receiver.app_id, receiver.target_url, now, now, perTarget];
      due.push(...(await query<OutboxRow>(statements.dueOfReceiver, parameters)).rows);
    }
    return due
      .sort((a, b) => Number(a.next_attempt_at) - Number(b.next_attempt_at) || (a.id < b.id ? -1 : 1))
      .slice(0, limit);
  }

  /** When the earliest pending delivery is due (or its lease runs out); undefined when none is pending. */
  async nextDueAt(): Promise<number | undefined> {
    const next = await this.db
      .selectFrom('webhook_outbox')
      .select(
        sql<number>`min(CASE WHEN lease_until > next_attempt_at THEN lease_until ELSE next_attempt_at END)`.as(
          'at',
        ),
      )
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return next?.at === null || next?.at === undefined ? undefined : Number(next.at);
  }

  /**
   * The next moment a pending delivery may need a pass after `after`: the earliest due time after it, or the end of
   * a lease that runs out after it (a dead instance's claimed rows); undefined when there is none.
   */
  async nextDueAfter(after: number): Promise<number | undefined> {
    const due = await this.db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.min('next_attempt_at').as('at'))
      .where('status', '=', 'pending')
      .where('next_attempt_at', '>', after)
      .executeTakeFirst();
    const {
      rows: [leaseEnd],
    } = await this.db.executeQuery<{ at: number | string | null }>(
      CompiledQuery.raw(leaseEndAfter[this.engine], [after]),
    );
    const times = [due?.at, leaseEnd?.at]
      .filter((at) => at !== null && at !== undefined)
      .map((at) => Number(at));
    return times.length === 0 ? undefined : Math.min(...times);
  }

  async pendingCount(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_outbox')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /** Pending webhooks: how many, and when the oldest of them was written (ms; null when none) — for metrics. */
  async pendingBacklog(): Promise<{ count: number; oldestCreatedAt: number | null }> {
    const row = await this.db
      .selectFrom('webhook_outbox')
      .select((eb) => [eb.fn.countAll<number>().as('count'), eb.fn.min('created_at').as('oldest')])
      .where('status', '=', 'pending')
      .executeTakeFirstOrThrow();
    return { count: Number(row.count), oldestCreatedAt: row.oldest === null ? null : Number(row.oldest) };
  }

  async recordAttempt(attempt: NewAttempt): Promise<void> {
    await this.run('recordAttempt', [
      attempt.outboxId,
      attempt.attemptedAt,
      attempt.httpStatus,
      attempt.latencyMs,
      attempt.responseExcerpt,
      attempt.error,
    ]);
  }

  /**
   * Moves a pending delivery on after an attempt (delivered, failed, or its next retry) and ends the lease. With
   * `leasedBy`, only while that dispatcher still holds it (a lease that ran out belongs to whoever took it next).
   */
  async afterAttempt(
    id: string,
    change:
      | { status: 'delivered'; attemptCount: number; deliveredAt: number }
      | { status: 'failed'; attemptCount: number }
      | { status: 'pending'; attemptCount: number; nextAttemptAt: number },
    leasedBy?: string | null,
  ): Promise<void> {
    const leased = leasedBy ? [leasedBy] : [];
    if (change.status === 'delivered') {
      await this.run(leasedBy ? 'deliveredLeased' : 'delivered', [
        change.attemptCount,
        change.deliveredAt,
        id,
        ...leased,
      ]);
    } else if (change.status === 'failed') {
      await this.run(leasedBy ? 'failedLeased' : 'failed', [change.attemptCount, id, ...leased]);
    } else {
      await this.run(leasedBy ? 'retryLeased' : 'retry', [
        change.attemptCount,
        change.nextAttemptAt,
        id,
        ...leased,
      ]);
    }
  }

  /** Deliveries newest first. */
  async list(filter: DeliveryFilter, page: { skip: number; limit: number }): Promise<OutboxRow[]> {
    return this.matching(filter)
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.skip)
      .execute();
  }

  async all(filter: DeliveryFilter): Promise<OutboxRow[]> {
    return this.matching(filter).selectAll().execute();
  }

  /** The attempts at these deliveries, oldest first. */
  async attemptsOf(outboxIds: string[]): Promise<AttemptRow[]> {
    if (outboxIds.length === 0) return [];
    return this.db
      .selectFrom('webhook_attempts')
      .selectAll()
      .where('outbox_id', 'in', outboxIds)
      .orderBy('id')
      .execute();
  }

  /** Schedules a delivery again now with a fresh count (same id and body). */
  async reschedule(id: string, targetUrl: string, now: number): Promise<void> {
    await this.db
      .updateTable('webhook_outbox')
      .set({
        status: targetUrl ? 'pending' : 'no_endpoint',
        target_url: targetUrl,
        attempt_count: 0,
        next_attempt_at: now,
        delivered_at: null,
      })
      .where('id', '=', id)
      .execute();
  }

  private matching(filter: DeliveryFilter) {
    let query = this.db.selectFrom('webhook_outbox');
    if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId);
    if (filter.transactionType !== undefined)
      query = query.where('transaction_type', '=', filter.transactionType);
    if (filter.transactionId !== undefined) query = query.where('transaction_id', '=', filter.transactionId);
    if (filter.webhookId !== undefined) query = query.where('id', '=', filter.webhookId);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    return query;
  }
}
