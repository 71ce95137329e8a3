/**
 * The refunds side's tables as Kysely sees them. They extend the core's `GatewayTables` through
 * `db.withTables<RefundTables>()`, so the core's schema types stay unaware of refunds.
 */
import type { Kysely, Transaction } from 'kysely';
import type { RefundStatus } from '../../sdk/rest-types.ts';
import type { GatewayTables, GatewayTx } from '../storage/tables.ts';

/**
 * A refund's life: `pending_approval` (a pre-refund waiting for PUT /2/rest/refund) → `processing` (sent to the
 * channel) → `succeeded` | `failed`; or `pending_approval` → `denied`. Only forward.
 */
export type { RefundStatus };

export interface RefundTable {
  id: string;
  app_id: string;
  /** The paid attempt the money is returned from. */
  bill_id: string;
  bill_no: string;
  refund_no: string;
  mode: 'test' | 'live';
  channel: string;
  sub_channel: string;
  title: string;
  total_fee: number;
  refund_fee: number;
  optional: string | null;
  status: RefundStatus;
  need_approval: number;
  deny_reason: string | null;
  /** 1 for the gateway's own refund of a payment that arrived for a closed or expired attempt. */
  late_payment: number;
  channel_refund_no: string | null;
  /** JSON of the channel's refund answer (the webhook's message_detail). */
  channel_detail: string | null;
  create_time: number;
  update_time: number;
  finish_time: number | null;
}

export type RefundTables = {
  refunds: RefundTable;
};

export type RefundDb = Kysely<GatewayTables & RefundTables>;
export type RefundTx = RefundDb | Transaction<GatewayTables & RefundTables>;

/** The same database or transaction, seen with the refund tables. */
export function withRefundTables(db: GatewayTx): RefundTx {
  return db.withTables<RefundTables>();
}

/** The same database or transaction, seen with the core's tables only (for the core's write functions). */
export function asGatewayTx(db: RefundTx): GatewayTx {
  // Every core table is still there; TypeScript cannot see that a wider schema is usable where a narrower is asked.
  return db as unknown as GatewayTx;
}
