/**
 * Batches small units of work of the webhook dispatcher into one store transaction: the leases of the rows a
 * pass starts, and the outcomes (attempt recorded, row moved on) of the deliveries that finish in the same
 * event-loop turn. Each caller still gets its own answer; a batch whose transaction fails rejects every caller in
 * it, and their rows are as before it (still pending: at least once, they are sent again).
 *
 * The batchers of one store share the turn: the leases and the outcomes added in the same turn are written in one
 * transaction, not one each (issue 15: a transaction's BEGIN, COMMIT and WAL frames cost about as much as the
 * statements in it, and a finished delivery's outcome and the lease of the row started in its place often fall
 * in the same turn).
 */
import type { GatewayStore, Stores } from '../storage/store.ts';

interface Queued {
  run: (tx: Stores) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** The work added to one store's batchers in the current turn. */
interface Turn {
  queue: Queued[];
  scheduled: boolean;
  /** Most items in one transaction (the smallest cap of the batchers sharing the turn). */
  maxBatch: number;
}

const turns = new WeakMap<GatewayStore, Turn>();

function turnOf(store: GatewayStore): Turn {
  let turn = turns.get(store);
  if (!turn) {
    turn = { queue: [], scheduled: false, maxBatch: Number.POSITIVE_INFINITY };
    turns.set(store, turn);
  }
  return turn;
}

function flush(store: GatewayStore, turn: Turn): void {
  turn.scheduled = false;
  while (turn.queue.length > 0) {
    const batch = turn.queue.splice(0, turn.maxBatch);
    store
      .transaction(async (tx) => {
        const answers: unknown[] = [];
        for (const queued of batch) answers.push(await queued.run(tx));
        return answers;
      })
      .then(
        (answers) => batch.forEach((queued, index) => queued.resolve(answers[index])),
        (error: unknown) => batch.forEach((queued) => queued.reject(error)),
      );
  }
}

export class TransactionBatcher<I, O> {
  constructor(
    private readonly store: GatewayStore,
    private readonly work: (tx: Stores, item: I) => Promise<O>,
    /** Most items in one transaction. */
    private readonly maxBatch = 200,
  ) {}

  add(item: I): Promise<O> {
    const turn = turnOf(this.store);
    turn.maxBatch = Math.min(turn.maxBatch, this.maxBatch);
    return new Promise<O>((resolve, reject) => {
      turn.queue.push({
        run: (tx) => this.work(tx, item),
        resolve: resolve as (value: unknown) => void,
        reject,
      });
      if (!turn.scheduled) {
        turn.scheduled = true;
        setImmediate(() => flush(this.store, turn));
      }
    });
  }
}
