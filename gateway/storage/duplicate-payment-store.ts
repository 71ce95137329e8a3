/**
 * Second payments for an attempt already paid (table `duplicate_payments`, migration 102_app_security): the payer's
 * money arrived twice under two channel trade numbers. Each is kept once (bill id + trade number) with
 * `refund_required = 1`, so the operator — or, later, the refunds side — gives it back (issue 21 item 10).
 */
import type { GatewayTx } from './tables.ts';

export interface DuplicatePayment {
  billId: string;
  appId: string;
  tradeNo: string;
  totalFee: number;
  detail: Record<string, unknown> | null;
  receivedAt: number;
  refundRequired: boolean;
}

export class DuplicatePaymentStore {
  constructor(private readonly db: GatewayTx) {}

  /** Records the payment; false when this trade number was already recorded for the bill. */
  async record(payment: Omit<DuplicatePayment, 'refundRequired'>): Promise<boolean> {
    const result = await this.db
      .insertInto('duplicate_payments')
      .values({
        bill_id: payment.billId,
        app_id: payment.appId,
        trade_no: payment.tradeNo,
        total_fee: payment.totalFee,
        channel_detail: payment.detail === null ? null : JSON.stringify(payment.detail),
        received_at: payment.receivedAt,
        refund_required: 1,
      })
      .onConflict((oc) => oc.columns(['bill_id', 'trade_no']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** The second payments still to be refunded, oldest first. */
  async awaitingRefund(appId?: string): Promise<DuplicatePayment[]> {
    let query = this.db.selectFrom('duplicate_payments').selectAll().where('refund_required', '=', 1);
    if (appId !== undefined) query = query.where('app_id', '=', appId);
    const rows = await query.orderBy('received_at').execute();
    return rows.map((row) => ({
      billId: row.bill_id,
      appId: row.app_id,
      tradeNo: row.trade_no,
      totalFee: Number(row.total_fee),
      detail:
        row.channel_detail === null ? null : (JSON.parse(row.channel_detail) as Record<string, unknown>),
      receivedAt: Number(row.received_at),
      refundRequired: row.refund_required === 1,
    }));
  }
}
