/**
 * In-process announcements of bill changes, published after the change is committed. The SSE stream listens
 * per bill; the refunds side listens for late payments (money that arrived for a closed or expired attempt).
 * With several gateway instances, the changes made here are passed on to the others (`onLocalBillChange`, see
 * storage/bill-change-feed.ts) and theirs arrive through `billChangedElsewhere`, for this instance's streams only.
 */
import { EventEmitter } from 'node:events';
import type { Bill } from './bill.ts';

export class BillEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open SSE stream: there is no meaningful ceiling.
    this.emitter.setMaxListeners(0);
  }

  billChanged(bill: Bill): void {
    this.emitter.emit(`bill:${bill.id}`, bill);
    this.emitter.emit('local-change', bill);
  }

  /** A change another gateway instance made and committed: told to the listeners of that bill here. */
  billChangedElsewhere(bill: Bill): void {
    this.emitter.emit(`bill:${bill.id}`, bill);
  }

  /** Whether anything here (an SSE stream) listens to this bill. */
  isWatched(billId: string): boolean {
    return this.emitter.listenerCount(`bill:${billId}`) > 0;
  }

  /** Every change made by this instance (not those of other instances). */
  onLocalBillChange(listener: (bill: Bill) => void): () => void {
    this.emitter.on('local-change', listener);
    return () => this.emitter.off('local-change', listener);
  }

  onBillChange(billId: string, listener: (bill: Bill) => void): () => void {
    const event = `bill:${billId}`;
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  latePayment(bill: Bill): void {
    this.emitter.emit('late-payment', bill);
  }

  /** Called for every payment that must be refunded because its attempt was already closed or expired. */
  onLatePayment(listener: (bill: Bill) => void): () => void {
    this.emitter.on('late-payment', listener);
    return () => this.emitter.off('late-payment', listener);
  }
}
