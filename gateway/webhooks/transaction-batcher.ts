/**
 * Batches small units of work of the webhook dispatcher into one store transaction: the leases of the rows a
 * pass starts, and the outcomes (attempt recorded, row moved on) of the deliveries that finish in the same
 * event-loop turn. Each caller still gets its own answer; a batch whose transaction fails rejects every caller in
 * it, and their rows are as before it (still pending: at least once, they are sent again).
 */
import type { GatewayStore, Stores } from '../storage/store.ts';

interface Queued<I, O> {
  item: I;
  resolve: (value: O) => void;
  reject: (error: unknown) => void;
}

export class TransactionBatcher<I, O> {
  private queue: Queued<I, O>[] = [];
  private scheduled = false;

  constructor(
    private readonly store: GatewayStore,
    private readonly work: (tx: Stores, item: I) => Promise<O>,
    /** Most items in one transaction. */
    private readonly maxBatch = 200,
  ) {}

  add(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.store
        .transaction(async (tx) => {
          const answers: O[] = [];
          for (const queued of batch) answers.push(await this.work(tx, queued.item));
          return answers;
        })
        .then(
          (answers) => batch.forEach((queued, index) => queued.resolve(answers[index]!)),
          (error: unknown) => batch.forEach((queued) => queued.reject(error)),
        );
    }
  }
}
