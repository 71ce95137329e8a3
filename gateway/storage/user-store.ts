/** The merchant's users (`merchant_users`): registration (a duplicate is a result, not an error) and listings. */
import type { Selectable } from 'kysely';
import type { MerchantUser } from '../users/merchant-user.ts';
import type { Paging, RecordScope } from './record-filter.ts';
import type { GatewayTx, MerchantUserTable } from './tables.ts';

export interface UserListFilter {
  merchant?: string;
  startTime?: number;
  endTime?: number;
}

function userFromRow(row: Selectable<MerchantUserTable>): MerchantUser {
  return {
    appId: row.app_id,
    mode: row.mode,
    buyerId: row.buyer_id,
    merchant: row.merchant,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class UserStore {
  constructor(private readonly db: GatewayTx) {}

  /** Registers a buyer unless it exists: `created` or `exists`. */
  async insertUser(
    scope: RecordScope,
    buyerId: string,
    merchant: string,
    now: number,
  ): Promise<'created' | 'exists'> {
    const result = await this.db
      .insertInto('merchant_users')
      .values({
        app_id: scope.appId,
        mode: scope.mode,
        buyer_id: buyerId,
        merchant,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.columns(['app_id', 'mode', 'buyer_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'created' : 'exists';
  }

  /** Puts a user registered without a merchant account under one (a user never moves between accounts). */
  async claimForMerchant(scope: RecordScope, buyerId: string, merchant: string, now: number): Promise<void> {
    await this.db
      .updateTable('merchant_users')
      .set({ merchant, updated_at: now })
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('buyer_id', '=', buyerId)
      .where('merchant', '=', '')
      .execute();
  }

  async findUser(scope: RecordScope, buyerId: string): Promise<MerchantUser | undefined> {
    const row = await this.db
      .selectFrom('merchant_users')
      .selectAll()
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('buyer_id', '=', buyerId)
      .executeTakeFirst();
    return row === undefined ? undefined : userFromRow(row);
  }

  /** Users oldest first (registration order), with the filters of `GET /2/rest/users`. */
  async listUsers(scope: RecordScope, filter: UserListFilter, paging: Paging): Promise<MerchantUser[]> {
    const rows = await this.db
      .selectFrom('merchant_users')
      .selectAll()
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .$if(filter.merchant !== undefined, (q) => q.where('merchant', '=', filter.merchant ?? ''))
      .$if(filter.startTime !== undefined, (q) => q.where('created_at', '>=', filter.startTime ?? 0))
      .$if(filter.endTime !== undefined, (q) => q.where('created_at', '<=', filter.endTime ?? 0))
      .orderBy('created_at')
      .orderBy('buyer_id')
      .limit(paging.limit)
      .offset(paging.skip)
      .execute();
    return rows.map(userFromRow);
  }
}
