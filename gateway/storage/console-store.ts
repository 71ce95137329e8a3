/**
 * The console's own records (migration 110_console): operators, their sessions (by the SHA-256 of the cookie
 * value), failed sign-ins per throttle key, and the audit log. Audit entries are written with the stores of the
 * change's own transaction, so an entry exists exactly when its change does.
 */
import type { Selectable } from 'kysely';
import type { ConsoleAuditTable, ConsoleOperatorTable, GatewayTx } from './tables.ts';

export interface Operator {
  id: string;
  name: string;
  passwordHash: string;
  createdAt: number;
  lastSigninAt: number | null;
}

export interface OperatorSession {
  idHash: string;
  operatorId: string;
  operatorName: string;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
}

export interface AuditEntry {
  id: number;
  at: number;
  operator: string;
  appId: string | null;
  action: string;
  detail: Record<string, unknown>;
}

export interface NewAuditEntry {
  at: number;
  operator: string;
  appId: string | null;
  action: string;
  detail: Record<string, unknown>;
}

function operatorFromRow(row: Selectable<ConsoleOperatorTable>): Operator {
  return {
    id: row.id,
    name: row.name,
    passwordHash: row.password_hash,
    createdAt: Number(row.created_at),
    lastSigninAt: row.last_signin_at === null ? null : Number(row.last_signin_at),
  };
}

function auditFromRow(row: Selectable<ConsoleAuditTable>): AuditEntry {
  return {
    id: Number(row.id),
    at: Number(row.at),
    operator: row.operator,
    appId: row.app_id,
    action: row.action,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
  };
}

export class ConsoleStore {
  constructor(private readonly db: GatewayTx) {}

  /** Creates an operator; 'exists' when the name is taken. */
  async insertOperator(operator: Omit<Operator, 'lastSigninAt'>): Promise<'created' | 'exists'> {
    const result = await this.db
      .insertInto('console_operators')
      .values({
        id: operator.id,
        name: operator.name,
        password_hash: operator.passwordHash,
        created_at: operator.createdAt,
        last_signin_at: null,
      })
      .onConflict((oc) => oc.column('name').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'created' : 'exists';
  }

  async setPassword(name: string, passwordHash: string): Promise<boolean> {
    const result = await this.db
      .updateTable('console_operators')
      .set({ password_hash: passwordHash })
      .where('name', '=', name)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async findOperatorByName(name: string): Promise<Operator | undefined> {
    const row = await this.db
      .selectFrom('console_operators')
      .selectAll()
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? operatorFromRow(row) : undefined;
  }

  async listOperators(): Promise<Operator[]> {
    const rows = await this.db.selectFrom('console_operators').selectAll().orderBy('created_at').execute();
    return rows.map(operatorFromRow);
  }

  async insertSession(session: Omit<OperatorSession, 'operatorName'>): Promise<void> {
    await this.db
      .insertInto('console_sessions')
      .values({
        id_hash: session.idHash,
        operator_id: session.operatorId,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        expires_at: session.expiresAt,
      })
      .execute();
    await this.db
      .updateTable('console_operators')
      .set({ last_signin_at: session.createdAt })
      .where('id', '=', session.operatorId)
      .execute();
  }

  async findSession(idHash: string): Promise<OperatorSession | undefined> {
    const row = await this.db
      .selectFrom('console_sessions')
      .innerJoin('console_operators', 'console_operators.id', 'console_sessions.operator_id')
      .select([
        'console_sessions.id_hash',
        'console_sessions.operator_id',
        'console_operators.name',
        'console_sessions.created_at',
        'console_sessions.last_seen_at',
        'console_sessions.expires_at',
      ])
      .where('console_sessions.id_hash', '=', idHash)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      idHash: row.id_hash,
      operatorId: row.operator_id,
      operatorName: row.name,
      createdAt: Number(row.created_at),
      lastSeenAt: Number(row.last_seen_at),
      expiresAt: Number(row.expires_at),
    };
  }

  async touchSession(idHash: string, now: number): Promise<void> {
    await this.db
      .updateTable('console_sessions')
      .set({ last_seen_at: now })
      .where('id_hash', '=', idHash)
      .where('last_seen_at', '<', now)
      .execute();
  }

  async deleteSession(idHash: string): Promise<void> {
    await this.db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
  }

  /** Removes sessions past their absolute end or idle since before `idleBefore`. */
  async deleteExpiredSessions(now: number, idleBefore: number): Promise<number> {
    const result = await this.db
      .deleteFrom('console_sessions')
      .where((eb) => eb.or([eb('expires_at', '<=', now), eb('last_seen_at', '<', idleBefore)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Failed sign-ins counted for `key` in the window that is still open at `now`. */
  async failuresOf(
    key: string,
    now: number,
    windowMs: number,
  ): Promise<{ failures: number; windowStart: number }> {
    const row = await this.db
      .selectFrom('console_signin_failures')
      .selectAll()
      .where('throttle_key', '=', key)
      .executeTakeFirst();
    if (!row || Number(row.window_start) + windowMs <= now) return { failures: 0, windowStart: now };
    return { failures: row.failures, windowStart: Number(row.window_start) };
  }

  /** Counts one failed sign-in for `key` (a new window when the last one has passed). */
  async recordFailure(key: string, now: number, windowMs: number): Promise<void> {
    await this.db
      .insertInto('console_signin_failures')
      .values({ throttle_key: key, window_start: now, failures: 1 })
      .onConflict((oc) =>
        oc.column('throttle_key').doUpdateSet((eb) => ({
          failures: eb
            .case()
            .when('console_signin_failures.window_start', '<=', now - windowMs)
            .then(1)
            .else(eb('console_signin_failures.failures', '+', 1))
            .end(),
          window_start: eb
            .case()
            .when('console_signin_failures.window_start', '<=', now - windowMs)
            .then(now)
            .else(eb.ref('console_signin_failures.window_start'))
            .end(),
        })),
      )
      .execute();
  }

  async clearFailures(key: string): Promise<void> {
    await this.db.deleteFrom('console_signin_failures').where('throttle_key', '=', key).execute();
  }

  async audit(entry: NewAuditEntry): Promise<void> {
    await this.db
      .insertInto('console_audit')
      .values({
        at: entry.at,
        operator: entry.operator,
        app_id: entry.appId,
        action: entry.action,
        detail: JSON.stringify(entry.detail),
      })
      .execute();
  }

  /** Audit entries newest first, after the entry `beforeId` when given. */
  async auditEntries(
    filter: { appId?: string },
    page: { beforeId?: number; limit: number },
  ): Promise<AuditEntry[]> {
    let query = this.db.selectFrom('console_audit').selectAll();
    if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId);
    if (page.beforeId !== undefined) query = query.where('id', '<', page.beforeId);
    const rows = await query.orderBy('id', 'desc').limit(page.limit).execute();
    return rows.map(auditFromRow);
  }
}
