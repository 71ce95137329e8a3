/** Reading refunds: by id, by refund_no, and BeeCloud's filtered listings (newest first). */
import type { GatewayDb } from '../storage/tables.ts';
import { refundFromRow, type Refund } from './refund.ts';
import type { RefundQuery } from './refund-request.ts';
import { withRefundTables, type RefundTx } from './refund-tables.ts';

export interface RefundListing extends RefundQuery {
  appId: string;
  mode: 'test' | 'live';
  skip?: number;
  limit?: number;
}

export class RefundRecords {
  private readonly db: RefundTx;

  constructor(db: GatewayDb) {
    this.db = withRefundTables(db);
  }

  async findRefund(appId: string, mode: 'test' | 'live', id: string): Promise<Refund | undefined> {
    const row = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? refundFromRow(row) : undefined;
  }

  /** The live (not denied) refund with this refund_no, else the latest denied one. */
  async findByRefundNo(appId: string, mode: 'test' | 'live', refundNo: string): Promise<Refund | undefined> {
    const rows = await this.db
      .selectFrom('refunds')
      .selectAll()
      .where('app_id', '=', appId)
      .where('mode', '=', mode)
      .where('refund_no', '=', refundNo)
      .orderBy('create_time', 'desc')
      .execute();
    const refunds = rows.map(refundFromRow);
    return refunds.find((refund) => refund.status !== 'denied') ?? refunds[0];
  }

  /** Refunds of an app, newest first, with BeeCloud's filters. */
  async queryRefunds(listing: RefundListing): Promise<Refund[]> {
    const rows = await this.filtered(listing)
      .selectAll()
      .orderBy('create_time', 'desc')
      .orderBy('id')
      .limit(listing.limit ?? 10)
      .offset(listing.skip ?? 0)
      .execute();
    return rows.map(refundFromRow);
  }

  async countRefunds(listing: RefundListing): Promise<number> {
    const row = await this.filtered(listing)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  private filtered(listing: RefundListing) {
    let q = this.db
      .selectFrom('refunds')
      .where('app_id', '=', listing.appId)
      .where('mode', '=', listing.mode);
    const channel = listing.channel;
    if (channel !== undefined) {
      q =
        'family' in channel
          ? q.where('channel', '=', channel.family)
          : q.where('sub_channel', '=', channel.subChannel);
    }
    if (listing.billNo !== undefined) q = q.where('bill_no', '=', listing.billNo);
    if (listing.refundNo !== undefined) q = q.where('refund_no', '=', listing.refundNo);
    if (listing.needApproval !== undefined) q = q.where('need_approval', '=', listing.needApproval ? 1 : 0);
    if (listing.startTime !== undefined) q = q.where('create_time', '>=', listing.startTime);
    if (listing.endTime !== undefined) q = q.where('create_time', '<=', listing.endTime);
    return q;
  }
}
