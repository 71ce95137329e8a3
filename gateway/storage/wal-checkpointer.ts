/**
 * WAL checkpoints off the event loop. SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL
 * past 1000 pages, on the committing connection: it copies the pages into the database file and, under
 * `synchronous = NORMAL`, fsyncs the WAL and the database file — milliseconds during which the gateway's event
 * loop answered nobody, every 50–80 bills created (a p99 killer).
 *
 * With `openSqliteStore(…, { checkpointWorker: true })` (what the gateway process runs, `main.ts`; the worker's
 * isolate adds about 8 MB to its RSS, paid for by a smaller SQLite page cache, `store.ts`) the store's connection
 * runs with `wal_autocheckpoint = 0` and a worker thread with its own connection
 * runs `PRAGMA wal_checkpoint(PASSIVE)` every `everyWrites` writes the group commit counted: it never takes the
 * writer's lock (the gateway never waits for it) and copies every frame no reader still needs. Once the whole WAL
 * is copied, the gateway's next write transaction starts the WAL over from its beginning (SQLite does so on its
 * own), so the WAL stays bounded. Durability does not change: a checkpoint syncs the WAL before it copies and the
 * database file after; the group commit keeps syncing the same `-wal` file (restarting overwrites it in place).
 * At close the worker stops first, then the store's connection closes, which checkpoints what is left.
 */
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// The worker is a small CommonJS script (the gateway ships as one bundle: no second file to find).
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true, timeout: 0 });
db.pragma('synchronous = NORMAL');
db.pragma('wal_autocheckpoint = 0');
let running = false;
let again = false;
function checkpoint() {
  if (running) { again = true; return; }
  running = true;
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)');
    parentPort.postMessage({ kind: 'checkpointed', log: row.log, checkpointed: row.checkpointed });
  } catch (error) {
    parentPort.postMessage({ kind: 'failed', message: String(error && error.message || error) });
  }
  running = false;
  if (again) { again = false; setImmediate(checkpoint); }
}
parentPort.on('message', (message) => {
  if (message === 'checkpoint') checkpoint();
  else if (message === 'close') { db.close(); parentPort.close(); }
});
`;

export interface CheckpointResult {
  /** Frames in the WAL when the checkpoint ran, and frames copied into the database file. */
  log: number;
  checkpointed: number;
}

export interface WalCheckpointerOptions {
  /** A checkpoint after this many writes (statements) since the last request (default 1000). */
  everyWrites?: number;
  /** Told of each checkpoint (tests). */
  onCheckpoint?: (result: CheckpointResult) => void;
  /** Told when a checkpoint fails (it is tried again after the next `everyWrites`). */
  onError?: (message: string) => void;
}

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly exited: Promise<void>;
  private readonly everyWrites: number;
  private requestedAt = 0;
  private closed = false;
  /** Checkpoints run (for tests and the bench's notes). */
  checkpoints = 0;

  constructor(file: string, options: WalCheckpointerOptions = {}) {
    this.everyWrites = options.everyWrites ?? 1000;
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.worker = new Worker(workerSource, {
      eval: true,
      workerData: { file, driver },
    });
    this.exited = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    // The worker never keeps the gateway alive on its own.
    this.worker.unref();
    this.worker.on(
      'message',
      (message: { kind: string; log?: number; checkpointed?: number; message?: string }) => {
        if (message.kind === 'checkpointed') {
          this.checkpoints += 1;
          options.onCheckpoint?.({ log: message.log ?? 0, checkpointed: message.checkpointed ?? 0 });
        } else if (message.kind === 'failed') {
          options.onError?.(message.message ?? 'checkpoint failed');
        }
      },
    );
    this.worker.on('error', (error) => options.onError?.(String(error)));
  }

  /** Called with the group commit's write count after each sync: asks for a checkpoint every `everyWrites`. */
  noteWrites(writes: number): void {
    if (this.closed || writes - this.requestedAt < this.everyWrites) return;
    this.requestedAt = writes;
    this.worker.postMessage('checkpoint');
  }

  /** Asks for a checkpoint now. */
  checkpoint(): void {
    if (!this.closed) this.worker.postMessage('checkpoint');
  }

  /** Stops the worker (its connection closed) before the store's connection closes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.worker.postMessage('close');
    await this.exited;
  }
}
