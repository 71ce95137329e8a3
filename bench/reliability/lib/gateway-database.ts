/**
 * Reads a stopped (or running) gateway's SQLite file — or its PostgreSQL database — directly, to check what it
 * recorded: orders, their attempts, and the webhook outbox. Only reliability checks use this; nothing here writes.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';

export interface RecordedBill {
  id: string;
  bill_no: string;
  status: string;
  total_fee: number;
  spay_result: number;
  trade_no: string | null;
  refund_required: number;
}

export interface RecordedOrder {
  bill_no: string;
  total_fee: number;
  status: string;
  paid_bill_id: string | null;
}

export interface RecordedWebhook {
  id: string;
  transaction_id: string;
  transaction_type: string;
  status: string;
  attempt_count: number;
  bill_id: string | null;
}

export function readGatewayRecords(dataDir: string, appId: string) {
  const db = new Database(join(dataDir, 'gateway.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return {
      orders: db
        .prepare('SELECT bill_no, total_fee, status, paid_bill_id FROM orders WHERE app_id = ?')
        .all(appId) as RecordedOrder[],
      bills: db
        .prepare(
          'SELECT id, bill_no, status, total_fee, spay_result, trade_no, refund_required FROM bills WHERE app_id = ?',
        )
        .all(appId) as RecordedBill[],
      webhooks: db
        .prepare(
          'SELECT id, transaction_id, transaction_type, status, attempt_count, bill_id FROM webhook_outbox WHERE app_id = ?',
        )
        .all(appId) as RecordedWebhook[],
    };
  } finally {
    db.close();
  }
}

export type GatewayRecords = ReturnType<typeof readGatewayRecords>;

/** The same records from a PostgreSQL database (several instances' one source of truth), read in one snapshot. */
export async function readPostgresRecords(databaseUrl: string, appId: string): Promise<GatewayRecords> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const orders = await client.query(
      'SELECT bill_no, total_fee, status, paid_bill_id FROM orders WHERE app_id = $1',
      [appId],
    );
    const bills = await client.query(
      'SELECT id, bill_no, status, total_fee, spay_result, trade_no, refund_required FROM bills WHERE app_id = $1',
      [appId],
    );
    const webhooks = await client.query(
      'SELECT id, transaction_id, transaction_type, status, attempt_count, bill_id FROM webhook_outbox WHERE app_id = $1',
      [appId],
    );
    await client.query('COMMIT');
    // bigint columns arrive as strings.
    return {
      orders: orders.rows.map((row) => ({ ...row, total_fee: Number(row.total_fee) }) as RecordedOrder),
      bills: bills.rows.map(
        (row) =>
          ({
            ...row,
            total_fee: Number(row.total_fee),
            spay_result: Number(row.spay_result),
            refund_required: Number(row.refund_required),
          }) as RecordedBill,
      ),
      webhooks: webhooks.rows.map(
        (row) => ({ ...row, attempt_count: Number(row.attempt_count) }) as RecordedWebhook,
      ),
    };
  } finally {
    await client.end();
  }
}

/**
 * The states a set of paid orders must be in: each paid exactly once (one paid attempt, the order pointing at
 * it), its other attempts closed, amounts as created, one delivered PAY webhook per paid order. Returns the
 * problems found, each naming the bill_no.
 */
export function paidOrderProblems(
  records: GatewayRecords,
  expected: Map<string, number>,
): { problems: string[]; paidOrders: number; deliveredWebhooks: number } {
  const problems: string[] = [];
  const attemptsByNo = new Map<string, RecordedBill[]>();
  for (const bill of records.bills) {
    const list = attemptsByNo.get(bill.bill_no) ?? [];
    list.push(bill);
    attemptsByNo.set(bill.bill_no, list);
  }
  const ordersByNo = new Map(records.orders.map((order) => [order.bill_no, order]));
  const delivered = new Set(
    records.webhooks
      .filter((webhook) => webhook.transaction_type === 'PAY' && webhook.status === 'delivered')
      .map((webhook) => webhook.transaction_id),
  );
  let paidOrders = 0;
  for (const [billNo, fee] of expected) {
    const order = ordersByNo.get(billNo);
    const attempts = attemptsByNo.get(billNo) ?? [];
    const paid = attempts.filter((bill) => bill.status === 'paid');
    if (!order) {
      problems.push(`${billNo}: no order`);
      continue;
    }
    if (order.total_fee !== fee) problems.push(`${billNo}: amount ${order.total_fee} ≠ ${fee}`);
    if (order.status !== 'paid') problems.push(`${billNo}: order ${order.status}, not paid`);
    if (paid.length !== 1) problems.push(`${billNo}: ${paid.length} paid attempts`);
    else {
      paidOrders += 1;
      if (order.paid_bill_id !== paid[0]!.id) problems.push(`${billNo}: order points at another attempt`);
      if (!paid[0]!.spay_result || !paid[0]!.trade_no)
        problems.push(`${billNo}: paid without result/trade_no`);
    }
    for (const attempt of attempts) {
      if (attempt.total_fee !== fee)
        problems.push(`${billNo}: attempt ${attempt.id} amount ${attempt.total_fee}`);
      if (attempt.status === 'open' && order.status === 'paid')
        problems.push(`${billNo}: attempt ${attempt.id} still open after the order was paid`);
      if (attempt.refund_required)
        problems.push(`${billNo}: attempt ${attempt.id} took money after another won`);
    }
    if (!delivered.has(billNo)) problems.push(`${billNo}: PAY webhook not delivered`);
  }
  for (const order of records.orders) {
    if (order.status === 'paid' && !expected.has(order.bill_no))
      problems.push(`${order.bill_no}: paid, but nobody paid it`);
  }
  return { problems, paidOrders, deliveredWebhooks: delivered.size };
}
