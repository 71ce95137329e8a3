/**
 * The demo merchant's orders, their refunds and the webhooks already processed, in its own SQLite file
 * (`<dataDir>/demo.sqlite`). Every change is announced to listeners (the orders page's live updates).
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export type OrderStatus = 'created' | 'paid' | 'refunding' | 'refunded';
export type RefundStatus = 'requested' | 'refunded' | 'rejected' | 'failed';

export interface Order {
  outTradeNo: string;
  title: string;
  /** Integer fen. */
  amount: number;
  status: OrderStatus;
  optional: Record<string, string | number | boolean>;
  channel: string | null;
  subChannel: string | null;
  /** Integer fen refunded so far. */
  refundedFee: number;
  createdAt: number;
  paidAt: number | null;
  refundedAt: number | null;
  /** The latest refund attempt of this order, if any. */
  lastRefund: Refund | null;
}

export interface Refund {
  refundNo: string;
  outTradeNo: string;
  /** Integer fen. */
  refundFee: number;
  status: RefundStatus;
  /** Why the gateway refused it, or why it failed. */
  message: string;
  requestedAt: number;
  finishedAt: number | null;
}

export type OrderListener = (order: Order) => void;

interface OrderRow {
  out_trade_no: string;
  title: string;
  amount: number;
  status: OrderStatus;
  optional: string;
  channel: string | null;
  sub_channel: string | null;
  refunded_fee: number;
  created_at: number;
  paid_at: number | null;
  refunded_at: number | null;
}

interface RefundRow {
  refund_no: string;
  out_trade_no: string;
  refund_fee: number;
  status: RefundStatus;
  message: string;
  requested_at: number;
  finished_at: number | null;
}

const schema = `
CREATE TABLE IF NOT EXISTS orders (
  out_trade_no TEXT PRIMARY KEY,
  title TEXT NOT NULL,
  amount INTEGER NOT NULL CHECK (amount > 0),
  status TEXT NOT NULL CHECK (status IN ('created', 'paid', 'refunding', 'refunded')),
  optional TEXT NOT NULL DEFAULT '{}',
  channel TEXT,
  sub_channel TEXT,
  refunded_fee INTEGER NOT NULL DEFAULT 0 CHECK (refunded_fee >= 0 AND refunded_fee <= amount),
  created_at INTEGER NOT NULL,
  paid_at INTEGER,
  refunded_at INTEGER
);
CREATE INDEX IF NOT EXISTS orders_by_creation ON orders (created_at);
CREATE TABLE IF NOT EXISTS refunds (
  refund_no TEXT PRIMARY KEY,
  out_trade_no TEXT NOT NULL REFERENCES orders (out_trade_no),
  refund_fee INTEGER NOT NULL CHECK (refund_fee > 0),
  status TEXT NOT NULL CHECK (status IN ('requested', 'refunded', 'rejected', 'failed')),
  message TEXT NOT NULL DEFAULT '',
  requested_at INTEGER NOT NULL,
  finished_at INTEGER
);
CREATE INDEX IF NOT EXISTS refunds_by_order ON refunds (out_trade_no, requested_at);
CREATE TABLE IF NOT EXISTS webhook_receipts (
  transaction_type TEXT NOT NULL,
  transaction_id TEXT NOT NULL,
  transaction_fee INTEGER NOT NULL,
  trade_success INTEGER NOT NULL,
  received_at INTEGER NOT NULL,
  PRIMARY KEY (transaction_type, transaction_id)
);
`;

export class OrderStore {
  private readonly db: Database.Database;
  private readonly listeners = new Set<OrderListener>();
  /** Orders changed inside the running transaction, announced once it commits. */
  private readonly pendingAnnouncements = new Set<string>();

  constructor(file: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(schema);
  }

  static inDataDir(dataDir: string): OrderStore {
    return new OrderStore(join(dataDir, 'demo.sqlite'));
  }

  close(): void {
    this.listeners.clear();
    this.db.close();
  }

  /** Runs `work` in one SQLite transaction: all its reads and writes happen together or not at all. */
  transaction<T>(work: () => T): T {
    if (this.db.inTransaction) return this.db.transaction(work)();
    try {
      const result = this.db.transaction(work)();
      const changed = [...this.pendingAnnouncements];
      this.pendingAnnouncements.clear();
      for (const outTradeNo of changed) this.emit(outTradeNo);
      return result;
    } catch (error) {
      this.pendingAnnouncements.clear();
      throw error;
    }
  }

  onChange(listener: OrderListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  createOrder(order: {
    outTradeNo: string;
    title: string;
    amount: number;
    optional: Record<string, string | number | boolean>;
    createdAt: number;
  }): Order {
    this.db
      .prepare(
        `INSERT INTO orders (out_trade_no, title, amount, status, optional, created_at)
         VALUES (?, ?, ?, 'created', ?, ?)`,
      )
      .run(order.outTradeNo, order.title, order.amount, JSON.stringify(order.optional), order.createdAt);
    return this.announce(order.outTradeNo);
  }

  findOrder(outTradeNo: string): Order | undefined {
    const row = this.db.prepare('SELECT * FROM orders WHERE out_trade_no = ?').get(outTradeNo) as
      OrderRow | undefined;
    return row === undefined ? undefined : this.toOrder(row);
  }

  /** The newest orders first. */
  listOrders(limit = 100): Order[] {
    const rows = this.db
      .prepare('SELECT * FROM orders ORDER BY created_at DESC, rowid DESC LIMIT ?')
      .all(limit) as OrderRow[];
    return rows.map((row) => this.toOrder(row));
  }

  findRefund(refundNo: string): Refund | undefined {
    const row = this.db.prepare('SELECT * FROM refunds WHERE refund_no = ?').get(refundNo) as
      RefundRow | undefined;
    return row === undefined ? undefined : toRefund(row);
  }

  hasWebhookReceipt(transactionType: string, transactionId: string): boolean {
    return (
      this.db
        .prepare('SELECT 1 FROM webhook_receipts WHERE transaction_type = ? AND transaction_id = ?')
        .get(transactionType, transactionId) !== undefined
    );
  }

  /** Records a processed webhook so that its duplicates are recognised. */
  addWebhookReceipt(receipt: {
    transactionType: string;
    transactionId: string;
    transactionFee: number;
    tradeSuccess: boolean;
    receivedAt: number;
  }): void {
    this.db
      .prepare(
        `INSERT INTO webhook_receipts (transaction_type, transaction_id, transaction_fee, trade_success, received_at)
         VALUES (?, ?, ?, ?, ?)`,
      )
      .run(
        receipt.transactionType,
        receipt.transactionId,
        receipt.transactionFee,
        receipt.tradeSuccess ? 1 : 0,
        receipt.receivedAt,
      );
  }

  /** A created order becomes paid (an order already past `created` keeps its status). */
  markPaid(
    outTradeNo: string,
    payment: { channel: string; subChannel: string | null; paidAt: number },
  ): Order {
    this.db
      .prepare(
        `UPDATE orders SET status = 'paid', channel = ?, sub_channel = ?, paid_at = ?
         WHERE out_trade_no = ? AND status = 'created'`,
      )
      .run(payment.channel, payment.subChannel, payment.paidAt, outTradeNo);
    return this.announce(outTradeNo);
  }

  /** Writes a refund request before it is sent, so that its webhook finds it even if it comes back first. */
  addRefundRequest(refund: {
    refundNo: string;
    outTradeNo: string;
    refundFee: number;
    requestedAt: number;
  }): Order {
    return this.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO refunds (refund_no, out_trade_no, refund_fee, status, requested_at)
           VALUES (?, ?, ?, 'requested', ?)`,
        )
        .run(refund.refundNo, refund.outTradeNo, refund.refundFee, refund.requestedAt);
      this.db
        .prepare(`UPDATE orders SET status = 'refunding' WHERE out_trade_no = ? AND status = 'paid'`)
        .run(refund.outTradeNo);
      return this.announce(refund.outTradeNo);
    });
  }

  /** The gateway refused a refund request (or never answered): the order is paid again, the reason kept. */
  markRefundRejected(refundNo: string, message: string, at: number): Order | undefined {
    return this.transaction(() => {
      const refund = this.findRefund(refundNo);
      if (refund === undefined) return undefined;
      this.db
        .prepare(
          `UPDATE refunds SET status = 'rejected', message = ?, finished_at = ? WHERE refund_no = ? AND status = 'requested'`,
        )
        .run(message, at, refundNo);
      this.restorePaidIfNoRefundPending(refund.outTradeNo);
      return this.announce(refund.outTradeNo);
    });
  }

  /** A REFUND webhook reported a failed refund. */
  markRefundFailed(refundNo: string, message: string, at: number): Order | undefined {
    return this.transaction(() => {
      const refund = this.findRefund(refundNo);
      if (refund === undefined) return undefined;
      this.db
        .prepare(`UPDATE refunds SET status = 'failed', message = ?, finished_at = ? WHERE refund_no = ?`)
        .run(message, at, refundNo);
      this.restorePaidIfNoRefundPending(refund.outTradeNo);
      return this.announce(refund.outTradeNo);
    });
  }

  /**
   * A refund succeeded (its webhook arrived): the refunded amount grows; the order is refunded once all of it is.
   * A refund the demo did not request (made elsewhere) is recorded too.
   */
  markRefunded(refund: {
    refundNo: string;
    outTradeNo: string;
    refundFee: number;
    refundedAt: number;
  }): Order {
    return this.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO refunds (refund_no, out_trade_no, refund_fee, status, requested_at, finished_at)
           VALUES (?, ?, ?, 'refunded', ?, ?)
           ON CONFLICT (refund_no) DO UPDATE SET status = 'refunded', message = '', finished_at = excluded.finished_at`,
        )
        .run(refund.refundNo, refund.outTradeNo, refund.refundFee, refund.refundedAt, refund.refundedAt);
      this.db
        .prepare(
          `UPDATE orders SET refunded_fee = refunded_fee + ?,
             status = CASE WHEN refunded_fee + ? >= amount THEN 'refunded' ELSE 'paid' END,
             refunded_at = ?
           WHERE out_trade_no = ?`,
        )
        .run(refund.refundFee, refund.refundFee, refund.refundedAt, refund.outTradeNo);
      this.restorePaidIfNoRefundPending(refund.outTradeNo);
      return this.announce(refund.outTradeNo);
    });
  }

  private restorePaidIfNoRefundPending(outTradeNo: string): void {
    this.db
      .prepare(
        `UPDATE orders SET status = 'paid'
         WHERE out_trade_no = ? AND status = 'refunding'
           AND NOT EXISTS (SELECT 1 FROM refunds WHERE out_trade_no = ? AND status = 'requested')`,
      )
      .run(outTradeNo, outTradeNo);
    this.db
      .prepare(
        `UPDATE orders SET status = 'refunding'
         WHERE out_trade_no = ? AND status = 'paid'
           AND EXISTS (SELECT 1 FROM refunds WHERE out_trade_no = ? AND status = 'requested')`,
      )
      .run(outTradeNo, outTradeNo);
  }

  private announce(outTradeNo: string): Order {
    const order = this.findOrder(outTradeNo);
    if (order === undefined) throw new Error(`order ${outTradeNo} vanished`);
    if (this.db.inTransaction) this.pendingAnnouncements.add(outTradeNo);
    else for (const listener of this.listeners) listener(order);
    return order;
  }

  private emit(outTradeNo: string): void {
    const order = this.findOrder(outTradeNo);
    if (order === undefined) return;
    for (const listener of this.listeners) listener(order);
  }

  private toOrder(row: OrderRow): Order {
    const lastRefund = this.db
      .prepare('SELECT * FROM refunds WHERE out_trade_no = ? ORDER BY requested_at DESC, rowid DESC LIMIT 1')
      .get(row.out_trade_no) as RefundRow | undefined;
    return {
      outTradeNo: row.out_trade_no,
      title: row.title,
      amount: row.amount,
      status: row.status,
      optional: JSON.parse(row.optional) as Order['optional'],
      channel: row.channel,
      subChannel: row.sub_channel,
      refundedFee: row.refunded_fee,
      createdAt: row.created_at,
      paidAt: row.paid_at,
      refundedAt: row.refunded_at,
      lastRefund: lastRefund === undefined ? null : toRefund(lastRefund),
    };
  }
}

function toRefund(row: RefundRow): Refund {
  return {
    refundNo: row.refund_no,
    outTradeNo: row.out_trade_no,
    refundFee: row.refund_fee,
    status: row.status,
    message: row.message,
    requestedAt: row.requested_at,
    finishedAt: row.finished_at,
  };
}
