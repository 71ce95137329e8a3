/**
 * Bill records for the REST queries: the bills of one app and mode with BeeCloud's filters, each with its
 * refund_result (a succeeded refund exists) and the buyer_id the REST payment carried.
 */
import type { ExpressionBuilder } from 'kysely';
import { billFromRow, type Bill } from '../bills/bill.ts';
import { withRefundTables, type RefundTables, type RefundTx } from '../refunds/refund-tables.ts';
import type { GatewayDb, GatewayTables } from '../storage/tables.ts';
import { buyerIdsOf } from './bill-extras.ts';
import { billRecord, type BillRecord } from './bill-record.ts';
import type { BillListQuery, BillQuery } from './list-query.ts';

export interface BillScope {
  appId: string;
  mode: 'test' | 'live';
}

export class BillListing {
  private readonly db: RefundTx;

  constructor(private readonly gatewayDb: GatewayDb) {
    this.db = withRefundTables(gatewayDb);
  }

  async list(scope: BillScope, query: BillListQuery): Promise<BillRecord[]> {
    const rows = await this.filtered(scope, query)
      .selectAll('bills')
      .orderBy('bills.create_time', 'desc')
      .orderBy('bills.id')
      .limit(query.limit)
      .offset(query.skip)
      .execute();
    return this.records(rows.map(billFromRow), query.needDetail);
  }

  async count(scope: BillScope, query: BillQuery): Promise<number> {
    const row = await this.filtered(scope, query)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async records(bills: Bill[], needDetail: boolean): Promise<BillRecord[]> {
    if (bills.length === 0) return [];
    const ids = bills.map((bill) => bill.id);
    const refunded = await this.db
      .selectFrom('refunds')
      .select('bill_id')
      .distinct()
      .where('bill_id', 'in', ids)
      .where('status', '=', 'succeeded')
      .execute();
    const refundedIds = new Set(refunded.map((row) => row.bill_id));
    const buyers = await buyerIdsOf(this.gatewayDb, ids);
    return bills.map((bill) =>
      billRecord(
        bill,
        { refunded: refundedIds.has(bill.id), buyerId: buyers.get(bill.id) ?? null },
        needDetail,
      ),
    );
  }

  private filtered(scope: BillScope, query: BillQuery) {
    let q = this.db
      .selectFrom('bills')
      .where('bills.app_id', '=', scope.appId)
      .where('bills.mode', '=', scope.mode);
    const channel = query.channel;
    if (channel !== undefined) {
      q =
        'family' in channel
          ? q.where('bills.channel', '=', channel.family)
          : q.where('bills.sub_channel', '=', channel.subChannel);
    }
    if (query.billNo !== undefined) q = q.where('bills.bill_no', '=', query.billNo);
    if (query.spayResult !== undefined) q = q.where('bills.spay_result', '=', query.spayResult ? 1 : 0);
    if (query.startTime !== undefined) q = q.where('bills.create_time', '>=', query.startTime);
    if (query.endTime !== undefined) q = q.where('bills.create_time', '<=', query.endTime);
    if (query.refundResult !== undefined) {
      const refundedBill = (eb: ExpressionBuilder<GatewayTables & RefundTables, 'bills'>) =>
        eb.exists(
          eb
            .selectFrom('refunds')
            .select('refunds.id')
            .whereRef('refunds.bill_id', '=', 'bills.id')
            .where('refunds.status', '=', 'succeeded'),
        );
      q = query.refundResult ? q.where((eb) => refundedBill(eb)) : q.where((eb) => eb.not(refundedBill(eb)));
    }
    return q;
  }
}
