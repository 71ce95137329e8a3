/**
 * What a REST payment carries that the bill itself does not keep — buyer_id (echoed in bill records, as BeeCloud
 * did), coupon_id and analysis — in the `bill_extras` table (migration 100_refunds).
 */
import type { Kysely } from 'kysely';
import type { FlatMap } from './request-fields.ts';
import type { GatewayDb } from '../storage/tables.ts';

export interface BillExtrasTable {
  bill_id: string;
  buyer_id: string | null;
  coupon_id: string | null;
  analysis: string | null;
}

export interface BillExtras {
  buyerId?: string;
  couponId?: string;
  analysis?: FlatMap;
}

type BillExtrasDb = Kysely<{ bill_extras: BillExtrasTable }>;

function extrasTable(db: GatewayDb): BillExtrasDb {
  // Narrowed to the one table this file uses; Kysely's schema types are invariant, hence the cast.
  return db.withTables<{ bill_extras: BillExtrasTable }>() as unknown as BillExtrasDb;
}

/** Keeps a bill's extras; nothing is written when it has none. */
export async function saveBillExtras(db: GatewayDb, billId: string, extras: BillExtras): Promise<void> {
  if (extras.buyerId === undefined && extras.couponId === undefined && extras.analysis === undefined) return;
  await extrasTable(db)
    .insertInto('bill_extras')
    .values({
      bill_id: billId,
      buyer_id: extras.buyerId ?? null,
      coupon_id: extras.couponId ?? null,
      analysis: extras.analysis ? JSON.stringify(extras.analysis) : null,
    })
    .execute();
}

/** buyer_id by bill id, for the bills that have one. */
export async function buyerIdsOf(db: GatewayDb, billIds: string[]): Promise<Map<string, string>> {
  if (billIds.length === 0) return new Map();
  const rows = await extrasTable(db)
    .selectFrom('bill_extras')
    .select(['bill_id', 'buyer_id'])
    .where('bill_id', 'in', billIds)
    .execute();
  return new Map(
    rows.flatMap((row) => (row.buyer_id === null ? [] : [[row.bill_id, row.buyer_id] as const])),
  );
}
