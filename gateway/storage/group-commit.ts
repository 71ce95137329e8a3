/**
 * Group commit for the SQLite store: one fsync makes the writes of every request committed meanwhile durable.
 *
 * With `synchronous = FULL` SQLite fsyncs the WAL inside every COMMIT, on the event loop: the gateway did nothing
 * else during each fsync (milliseconds on a busy disk), so bill creation ran at the disk's fsync rate. Instead the
 * store runs with `synchronous = NORMAL` (a COMMIT writes its WAL frames, no fsync; checkpoints still sync the WAL
 * before and the database file after) and nothing is acknowledged before the WAL is on disk: `durable()` resolves
 * once every statement executed so far is fsynced (`fdatasync` of the `-wal` file on libuv's thread pool, so the
 * event loop goes on committing other requests meanwhile). Callers waiting while a sync runs share the next one.
 * SQLite recovers every WAL frame up to the last valid commit frame, so a transaction whose commit frame was
 * synced survives a power cut exactly as under FULL; a SIGKILL loses nothing written either way (the page cache
 * outlives the process).
 *
 * The gateway waits for `durable()` before any answer leaves (a Fastify onSend hook) and before the webhook
 * dispatcher reads due rows, so no client, channel or merchant hears of a write that a power cut could undo.
 */
import { closeSync, fdatasync, fstatSync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';

/** What `durable()` rejects with once SQLite lost writes it had not acknowledged. */
export class LostTransactionError extends Error {
  constructor() {
    super('SQLite rolled back a shared transaction on its own (I/O error or full disk): its writes are lost');
  }
}

export class WalGroupCommit {
  /** Statements that wrote (or committed) so far. */
  private written = 0;
  /** `written` as it was when the last completed sync started: everything up to it is on disk. */
  private synced = 0;
  private syncing: Promise<void> | undefined;
  /** fdatasync calls made (for tests and the bench's notes). */
  syncs = 0;
  private fd: number | undefined;
  private closed = false;
  private readonly walFile: string;

  /** Writes after this count may have been lost (shared-transaction.ts): they are never acknowledged. */
  private lostAfter: number | undefined;

  /**
   * `beforeSync` runs right before each fsync (the store's shared transaction commits there, so one fsync covers
   * what was committed just before it); `afterSync` after each, with the writes it covered (the WAL checkpointer
   * counts them).
   */
  constructor(
    databaseFile: string,
    private readonly hooks: {
      beforeSync?: () => Promise<void> | void;
      afterSync?: (writes: number) => void;
    } = {},
  ) {
    this.walFile = `${databaseFile}-wal`;
  }

  /** Statements that wrote so far. */
  get writes(): number {
    return this.written;
  }

  /** SQLite lost the writes after `after` (a transaction rolled back on its own): none may be acknowledged. */
  noteLost(after: number): void {
    this.lostAfter = Math.min(this.lostAfter ?? after, after);
  }

  /** Called as a writing statement (or a COMMIT) is executed. */
  noteWrite(): void {
    this.written += 1;
  }

  /**
   * Whether everything executed so far is already on disk (`durable()` would resolve at once): an answer that
   * follows only reads, or writes another request's sync already covered, need not wait for a promise.
   */
  isDurable(): boolean {
    // After a lost shared transaction nothing may be acknowledged: durable() says so.
    if (this.lostAfter !== undefined && this.written > this.lostAfter) return false;
    // Closed: close() synced every write; a statement run on the closed database wrote nothing.
    return this.closed || this.synced >= this.written;
  }

  /** Everything executed so far is durable when this resolves. */
  durable(): Promise<void> {
    const target = this.written;
    // Closed: close() synced every write; a statement run on the closed database wrote nothing.
    if (this.closed || this.synced >= target) return this.refuseLost(target);
    return this.syncUntil(target).then(() => this.refuseLost(target));
  }

  private refuseLost(target: number): Promise<void> {
    if (this.lostAfter !== undefined && target > this.lostAfter)
      return Promise.reject(new LostTransactionError());
    return Promise.resolve();
  }

  /** Syncs what is left and closes the WAL file descriptor (the store closes after). */
  async close(): Promise<void> {
    await this.durable();
    this.closed = true;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private async syncUntil(target: number): Promise<void> {
    while (this.synced < target) {
      if (!this.syncing) {
        this.syncing = this.syncOnce().finally(() => {
          this.syncing = undefined;
        });
      }
      await this.syncing;
    }
  }

  private async syncOnce(): Promise<void> {
    await this.hooks.beforeSync?.();
    const upTo = this.written;
    const fd = this.walDescriptor();
    this.syncs += 1;
    await new Promise<void>((resolve, reject) =>
      fdatasync(fd, (error) => (error ? reject(error) : resolve())),
    );
    if (upTo > this.synced) this.synced = upTo;
    this.hooks.afterSync?.(upTo);
  }

  /**
   * The `-wal` file, opened once (SQLite keeps it while its connection is open; it is reopened should it ever
   * be removed — a file can only be replaced under its name once the old one has no name left, `nlink` 0: one
   * `fstat` a sync, where comparing inodes with the name's took a `stat` more). The directory is synced when it is
   * opened, so the file's name survives a power cut too.
   */
  private walDescriptor(): number {
    if (this.fd !== undefined && fstatSync(this.fd).nlink > 0) return this.fd;
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = openSync(this.walFile, 'r');
    const directory = openSync(dirname(this.walFile), 'r');
    try {
      fsyncSync(directory);
    } finally {
      closeSync(directory);
    }
    return this.fd;
  }
}
