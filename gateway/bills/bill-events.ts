/**
 * In-process announcements of bill changes, published after the change is committed. The SSE stream listens
 * per bill; the refunds side listens for late payments (money that arrived for a closed or expired attempt).
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
