/**
 * Users, the core's use cases for the merchant's users (商家用户): register one, register a batch under a
 * merchant account (all or nothing), list them by account and registration time, and attach history bills to
 * their buyers. A user is the `buyer_id` a pay request carries; coupons are issued to users.
 */
import type { Paging, RecordScope } from '../storage/record-filter.ts';
import type { UserListFilter } from '../storage/user-store.ts';
import type { MerchantUser } from '../users/merchant-user.ts';
import type { CoreDeps } from './core-deps.ts';
import { DomainError } from './domain-error.ts';

export interface Registration {
  /** How many buyer_ids were new (the others were registered already and are left as they were). */
  created: number;
}

export class Users {
  constructor(private readonly deps: CoreDeps) {}

  async register(scope: RecordScope, buyerId: string): Promise<Registration> {
    const created = await this.deps.store.users.insertUser(scope, buyerId, '', this.deps.now());
    return { created: created === 'created' ? 1 : 0 };
  }

  /**
   * Registers every buyer under the merchant account in one transaction; a buyer registered before without an
   * account joins this one.
   */
  async registerBatch(scope: RecordScope, merchant: string, buyerIds: string[]): Promise<Registration> {
    const now = this.deps.now();
    const created = await this.deps.store.transaction(async (tx) => {
      let count = 0;
      for (const buyerId of new Set(buyerIds)) {
        if ((await tx.users.insertUser(scope, buyerId, merchant, now)) === 'created') count += 1;
        else await tx.users.claimForMerchant(scope, buyerId, merchant, now);
      }
      return count;
    });
    this.deps.log('info', 'merchant users registered', {
      appId: scope.appId,
      count: buyerIds.length,
      created,
    });
    return { created };
  }

  async list(scope: RecordScope, filter: UserListFilter, paging: Paging): Promise<MerchantUser[]> {
    return this.deps.store.users.listUsers(scope, filter, paging);
  }

  async requireUser(
    scope: RecordScope,
    buyerId: string,
    subject: 'buyer_id' | 'user_id',
  ): Promise<MerchantUser> {
    const user = await this.deps.store.users.findUser(scope, buyerId);
    if (user === undefined) {
      throw new DomainError(
        'user_unknown',
        subject,
        `${buyerId.slice(0, 64)} is not a registered user of this app`,
      );
    }
    return user;
  }

  /**
   * Attaches history bills (`{buyer_id: [bill_no…]}`) to their buyers; answers those that failed in the same
   * shape: an unregistered buyer (all its bills), an unknown bill_no, a bill already attached to another buyer.
   */
  async attachHistoryBills(
    scope: RecordScope,
    billInfo: Record<string, string[]>,
  ): Promise<Record<string, string[]>> {
    const failed: Record<string, string[]> = {};
    const fail = (buyerId: string, billNo: string) => (failed[buyerId] ??= []).push(billNo);
    for (const [buyerId, billNos] of Object.entries(billInfo)) {
      const user = await this.deps.store.users.findUser(scope, buyerId);
      for (const billNo of billNos) {
        if (user === undefined) {
          fail(buyerId, billNo);
          continue;
        }
        const outcome = await this.deps.store.transaction(async (tx) => {
          const order = await tx.bills.lockOrder(scope.appId, scope.mode, billNo);
          if (order === undefined) return 'not_found' as const;
          return tx.bills.attachBuyer(scope.appId, scope.mode, billNo, buyerId);
        });
        if (outcome !== 'attached') fail(buyerId, billNo);
      }
    }
    return failed;
  }
}
