/**
 * Shared write transactions for the SQLite store: the units of work (`store.transaction(…)`) committed while the
 * group commit's fsync runs are committed together, in ONE SQLite transaction, each unit in its own savepoint.
 *
 * Why: a COMMIT writes every page the transaction changed to the WAL (a bill creation: the bills table and its
 * indexes, the order — about a dozen pages), and most of those pages are the same ones for the next bill (the
 * rightmost leaves of the time-ordered indexes, the tables' last pages). Units committed one by one wrote them
 * again for every bill; units sharing a transaction write each page once per batch. Measured alone: the commit
 * went from ~600 µs to ~100 µs a bill.
 *
 * Rules kept:
 * - Each unit is all or nothing on its own: it runs in `SAVEPOINT spay_unit`; its success releases the savepoint
 *   (its writes join the shared transaction), its failure rolls back to it (only its own writes are undone: a
 *   duplicate bill_no fails one request, not the batch). Units never interleave: Kysely's SQLite driver holds its
 *   one connection from a unit's begin to its end.
 * - Nothing is acknowledged before it is committed and on disk: the group commit (group-commit.ts) calls
 *   `commit()` right before each fsync, and every answer waits for that fsync (`store.durable()`). A unit that
 *   ends while no fsync runs starts one at once (so its batch is committed at once, as before); units that end
 *   while one runs are committed together when the next one starts. No answer waits longer than the group commit
 *   made it wait already. Until the shared transaction commits, its writes are visible to this gateway's own
 *   reads only (one connection), never to another process.
 * - A write outside any unit (one statement) joins the open shared transaction, if one is open, and commits with it.
 * - Reads outside any unit share a read transaction per event-loop turn (a "read turn"): the first read that finds
 *   no transaction open begins one, and it commits when the turn's I/O callbacks are done (setImmediate). Outside a
 *   transaction SQLite wraps every statement in its own, taking and dropping the WAL's read lock each time (two
 *   `fcntl` calls and an `fstat`: half the cost of a status read by primary key on this machine's VM). A read turn
 *   holds no write lock and sees what every read outside it would have seen (only this connection writes in
 *   between, and its writes are visible to it); it ends before a unit begins or a write outside a unit runs, so
 *   writes start from a fresh snapshot exactly as before.
 * - SQLite may roll back a whole transaction on its own (an I/O error, a full disk). The units of a batch lost
 *   that way were never acknowledged: the group commit is told (`lost`) and from then on `durable()` rejects for
 *   anything written after the batch began (answers become errors) until the gateway is restarted, which
 *   recovers everything committed. Such a rollback is SQLite's answer to a failing disk, where failing is right.
 *
 * Before `enable()` (the store's migrations, which switch foreign keys off around a table rebuild and need real
 * transactions) units are plain BEGIN / COMMIT.
 */
import type Database from 'better-sqlite3';
import type { DatabaseConnection, SqliteDialectConfig } from 'kysely';
import { SqliteDialect, SqliteDriver, type Driver } from 'kysely';
import { LostTransactionError, WalGroupCommit } from './group-commit.ts';
import { withStatementCache } from './statement-cache.ts';

export interface SharedTransactionHooks {
  /** The writes noted so far (the group commit's counter). */
  writes(): number;
  /**
   * Called when SQLite rolled the open shared transaction back on its own: the writes after `after` may be lost.
   * Nothing written after it may be acknowledged any more (the group commit refuses, until a restart).
   */
  lost(after: number): void;
  /** Makes sure a commit and an fsync follow soon (the group commit's `durable()`). */
  requestSync(): void;
}

export class SharedTransaction {
  private enabled = false;
  /** A shared transaction (BEGIN issued here) is open. */
  private open = false;
  /** The writes counter when the open shared transaction began (writes after it are in it). */
  private openedAfter = 0;
  /** A unit is between its begin and its end. */
  private unitActive = false;
  /** The current unit runs in a savepoint of the shared transaction (false: a plain transaction). */
  private unitShared = false;
  /** A read turn (a read-only transaction begun for reads outside any unit) is open. */
  private readTurn = false;
  private readTurnEndScheduled = false;
  /** Commits waiting for the active unit to end. */
  private commitWaiters: Array<{ resolve: () => void; reject: (error: unknown) => void }> = [];
  /** Units run in savepoints, and shared transactions committed (for tests and the bench's notes). */
  units = 0;
  commits = 0;
  /** Read turns begun (for tests and the bench's notes). */
  readTurns = 0;

  constructor(
    private readonly sqlite: Database.Database,
    private readonly hooks: SharedTransactionHooks,
  ) {}

  /** From now on units share transactions (call when no unit runs, after the migrations). */
  enable(): void {
    this.enabled = true;
  }

  /** Units committed together so far, on average (1 when nothing was shared). */
  get unitsPerCommit(): number {
    return this.commits === 0 ? 1 : this.units / this.commits;
  }

  /** Starts a unit of work. `plain` runs it as BEGIN (before `enable()`). */
  beginUnit(plain: () => Promise<void>): Promise<void> | void {
    if (!this.enabled) {
      this.unitShared = false;
      this.unitActive = true;
      return plain();
    }
    this.checkOpen();
    this.endReadTurn();
    if (!this.open) {
      this.openedAfter = this.hooks.writes();
      this.sqlite.exec('BEGIN');
      this.open = true;
    }
    this.sqlite.exec('SAVEPOINT spay_unit');
    this.unitShared = true;
    this.unitActive = true;
  }

  /** Ends a unit that succeeded: its writes join the shared transaction. */
  endUnit(plain: () => Promise<void>): Promise<void> | void {
    if (!this.unitShared) return this.afterPlain(plain);
    this.unitActive = false;
    try {
      this.checkOpen();
      this.sqlite.exec('RELEASE spay_unit');
      this.units += 1;
    } finally {
      this.afterUnit();
    }
  }

  /** Ends a unit that failed: only its own writes are undone. */
  abortUnit(plain: () => Promise<void>): Promise<void> | void {
    if (!this.unitShared) return this.afterPlain(plain);
    this.unitActive = false;
    try {
      // A transaction SQLite rolled back on its own is reported here; the unit's own error is the caller's.
      if (this.checkOpen(false)) {
        this.sqlite.exec('ROLLBACK TO spay_unit');
        this.sqlite.exec('RELEASE spay_unit');
      }
    } finally {
      this.afterUnit();
    }
  }

  /**
   * A statement that only reads is about to run: outside any transaction it begins this turn's read turn, which
   * the next reads of the turn share.
   */
  beforeRead(): void {
    if (!this.enabled || this.readTurn || this.sqlite.inTransaction) return;
    this.sqlite.exec('BEGIN');
    this.readTurn = true;
    this.readTurns += 1;
    if (!this.readTurnEndScheduled) {
      this.readTurnEndScheduled = true;
      setImmediate(this.endReadTurnLater);
    }
  }

  /** A statement that writes is about to run: outside a unit it must not run on the read turn's snapshot. */
  beforeWrite(): void {
    if (!this.unitActive) this.endReadTurn();
  }

  private readonly endReadTurnLater = (): void => {
    this.readTurnEndScheduled = false;
    this.endReadTurn();
  };

  /** Ends the read turn, if one is open (it holds no writes: COMMIT only drops its read lock). */
  private endReadTurn(): void {
    if (!this.readTurn) return;
    this.readTurn = false;
    if (this.sqlite.inTransaction) this.sqlite.exec('COMMIT');
  }

  /**
   * Commits the open shared transaction (the group commit calls it before each fsync); when a unit is running,
   * once it has ended. Rejects with `LostTransactionError` when SQLite had rolled the transaction back.
   */
  commit(): Promise<void> | void {
    if (this.unitActive) {
      return new Promise<void>((resolve, reject) => this.commitWaiters.push({ resolve, reject }));
    }
    this.commitNow();
  }

  private async afterPlain(plain: () => Promise<void>): Promise<void> {
    try {
      await plain();
    } finally {
      this.unitActive = false;
    }
  }

  private afterUnit(): void {
    const waiters = this.commitWaiters.splice(0);
    if (waiters.length > 0) {
      try {
        this.commitNow();
        waiters.forEach((waiter) => waiter.resolve());
      } catch (error) {
        waiters.forEach((waiter) => waiter.reject(error));
      }
      return;
    }
    if (!this.open) return;
    // Nothing written yet (units that only read): commit at once, an open transaction would hold its snapshot.
    if (this.hooks.writes() === this.openedAfter) this.commitNow();
    else this.hooks.requestSync();
  }

  private commitNow(): void {
    this.checkOpen();
    if (!this.open) return;
    this.sqlite.exec('COMMIT');
    this.open = false;
    this.commits += 1;
  }

  /**
   * True when the shared transaction is open. One SQLite rolled back on its own is reported lost (and, unless
   * `raise` is false, thrown).
   */
  private checkOpen(raise = true): boolean {
    if (this.open && !this.sqlite.inTransaction) {
      this.open = false;
      this.hooks.lost(this.openedAfter);
      if (raise) throw new LostTransactionError();
    }
    return this.open;
  }
}

/** Kysely's SQLite dialect whose transactions are the units of a `SharedTransaction`. */
export class SharedTransactionDialect extends SqliteDialect {
  constructor(
    private readonly config: SqliteDialectConfig,
    private readonly shared: SharedTransaction,
  ) {
    super(config);
  }

  override createDriver(): Driver {
    return new SharedTransactionDriver(this.config, this.shared);
  }
}

class SharedTransactionDriver extends SqliteDriver {
  constructor(
    config: SqliteDialectConfig,
    private readonly shared: SharedTransaction,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await this.shared.beginUnit(() => super.beginTransaction(connection));
  }

  override async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.shared.endUnit(() => super.commitTransaction(connection));
  }

  override async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.shared.abortUnit(() => super.rollbackTransaction(connection));
  }
}

/**
 * The SQLite store's write path: Kysely's dialect over `sqlite` (its statements cached), the group commit of
 * `file`'s WAL, and the shared transaction committing right before each of its fsyncs. Units share transactions
 * once `shared.enable()` is called.
 */
export function sharedSqlite(sqlite: Database.Database, file: string, afterSync?: (writes: number) => void) {
  const groupCommit: WalGroupCommit = new WalGroupCommit(file, {
    beforeSync: () => shared.commit(),
    afterSync,
  });
  const shared: SharedTransaction = new SharedTransaction(sqlite, {
    writes: () => groupCommit.writes,
    lost: (after) => groupCommit.noteLost(after),
    // Its callers' answers hear of a failure through their own durable().
    requestSync: () => void groupCommit.durable().catch(() => {}),
  });
  const dialect = new SharedTransactionDialect(
    {
      database: withStatementCache(sqlite, {
        onRead: () => shared.beforeRead(),
        onWrite: () => {
          shared.beforeWrite();
          groupCommit.noteWrite();
        },
      }),
    },
    shared,
  );
  return { dialect, groupCommit, shared };
}
