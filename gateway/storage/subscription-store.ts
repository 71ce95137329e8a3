/**
 * The subscriptions store (migration 135): plans, SMS passcodes, subscribers' cards (card number, id number and
 * mobile sealed by the gateway's secret key), subscriptions and their charges. A charge is unique per
 * (subscription, period): `insertCharge` answers `duplicate` instead of failing, so a period is charged once
 * however many schedulers race. The scheduler's reads claim their rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL,
 * inside the caller's transaction); every state change is a conditional update.
 */
import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type {
  ChargeStatus,
  Plan,
  PlanInterval,
  Subscription,
  SubscriptionCard,
  SubscriptionCharge,
  SubscriptionStatus,
} from '../subscriptions/subscription.ts';
import { engineOf } from './dialect.ts';
import type { Paging, RecordScope } from './record-filter.ts';
import type { SecretSealer } from './secret-sealer.ts';
import type {
  GatewayTables,
  GatewayTx,
  SubscriptionChargeTable,
  SubscriptionPlanTable,
  SubscriptionTable,
} from './tables.ts';

function parseJson(text: string | null): Record<string, unknown> | null {
  return text === null ? null : (JSON.parse(text) as Record<string, unknown>);
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function optionalNumber(value: number | string | null): number | null {
  return value === null ? null : Number(value);
}

function planFromRow(row: Selectable<SubscriptionPlanTable>): Plan {
  return {
    id: row.id,
    appId: row.app_id,
    mode: row.mode,
    name: row.name,
    fee: Number(row.fee),
    interval: row.period_unit as PlanInterval,
    intervalCount: Number(row.period_count),
    currency: row.currency,
    trialDays: Number(row.trial_days),
    optional: parseJson(row.optional),
    valid: Number(row.valid) === 1,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function subscriptionFromRow(row: Selectable<SubscriptionTable>): Subscription {
  return {
    id: row.id,
    appId: row.app_id,
    mode: row.mode,
    buyerId: row.buyer_id,
    planId: row.plan_id,
    cardId: row.card_id,
    bankName: row.bank_name,
    last4: row.last4,
    amount: row.amount,
    trialEnd: optionalNumber(row.trial_end),
    optional: parseJson(row.optional),
    couponId: row.coupon_id,
    status: row.status as SubscriptionStatus,
    valid: Number(row.valid) === 1,
    reviewAt: optionalNumber(row.review_at),
    cancelAtPeriodEnd: Number(row.cancel_at_period_end) === 1,
    nextChargeAt: optionalNumber(row.next_charge_at),
    nextPeriod: Number(row.next_period),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function chargeFromRow(row: Selectable<SubscriptionChargeTable>): SubscriptionCharge {
  return {
    id: row.id,
    appId: row.app_id,
    mode: row.mode,
    subscriptionId: row.subscription_id,
    period: Number(row.period),
    periodStart: Number(row.period_start),
    fee: Number(row.fee),
    status: row.status as ChargeStatus,
    tries: Number(row.tries),
    nextTryAt: optionalNumber(row.next_try_at),
    message: row.message,
    createdAt: Number(row.created_at),
    finishedAt: optionalNumber(row.finished_at),
  };
}

/** The list filters BeeCloud's plan and subscription queries share (creation time, ms). */
export interface CreatedRange {
  createdAfter?: number;
  createdBefore?: number;
}

export interface PlanFilter extends CreatedRange {
  nameWithSubstring?: string;
  name?: string;
  interval?: PlanInterval;
  intervalCount?: number;
  trialDays?: number;
}

export interface SubscriptionFilter extends CreatedRange {
  buyerId?: string;
  planId?: string;
  cardId?: string;
}

export interface SmsPasscode {
  id: string;
  appId: string;
  mode: 'test' | 'live';
  phone: string;
  codeHash: string;
  tries: number;
  usedAt: number | null;
  expiresAt: number;
}

/** A change of a subscription's state, applied only if its row still has `from` (status and period). */
export interface SubscriptionChange {
  status?: SubscriptionStatus;
  valid?: boolean;
  reviewAt?: number | null;
  cancelAtPeriodEnd?: boolean;
  nextChargeAt?: number | null;
  nextPeriod?: number;
  amount?: string;
  trialEnd?: number | null;
  optional?: Record<string, unknown> | null;
  now: number;
}

export class SubscriptionStore {
  private readonly rowLocks: boolean;

  constructor(
    private readonly db: GatewayTx,
    private readonly sealer: SecretSealer,
  ) {
    this.rowLocks = engineOf(db) === 'postgres';
  }

  // ---- plans ----

  async insertPlan(plan: Plan): Promise<void> {
    await this.db
      .insertInto('subscription_plans')
      .values({
        id: plan.id,
        app_id: plan.appId,
        mode: plan.mode,
        name: plan.name,
        fee: plan.fee,
        period_unit: plan.interval,
        period_count: plan.intervalCount,
        currency: plan.currency,
        trial_days: plan.trialDays,
        optional: jsonOrNull(plan.optional),
        valid: plan.valid ? 1 : 0,
        created_at: plan.createdAt,
        updated_at: plan.updatedAt,
      })
      .execute();
  }

  /** A plan of the app that still exists (deleted plans are not found). */
  async findPlan(scope: RecordScope, id: string): Promise<Plan | undefined> {
    const row = await this.db
      .selectFrom('subscription_plans')
      .selectAll()
      .where('id', '=', id)
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('valid', '=', 1)
      .executeTakeFirst();
    return row ? planFromRow(row) : undefined;
  }

  /** A plan by id whatever its state (a subscription's plan, even deleted since). */
  async findPlanById(id: string): Promise<Plan | undefined> {
    const row = await this.db
      .selectFrom('subscription_plans')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? planFromRow(row) : undefined;
  }

  /** Renames / re-describes an existing plan; false when there is none. */
  async updatePlan(
    scope: RecordScope,
    id: string,
    change: { name?: string; optional?: Record<string, unknown> },
    now: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('subscription_plans')
      .set({
        ...(change.name !== undefined ? { name: change.name } : {}),
        ...(change.optional !== undefined ? { optional: jsonOrNull(change.optional) } : {}),
        updated_at: now,
      })
      .where('id', '=', id)
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('valid', '=', 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Deletes a plan (its row stays for the subscriptions that name it); false when there is none. */
  async deletePlan(scope: RecordScope, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('subscription_plans')
      .set({ valid: 0, updated_at: now })
      .where('id', '=', id)
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('valid', '=', 1)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async listPlans(scope: RecordScope, filter: PlanFilter, paging: Paging): Promise<Plan[]> {
    const rows = await this.db
      .selectFrom('subscription_plans')
      .selectAll()
      .where((eb) => eb.and(planConditions(eb, scope, filter)))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(paging.limit)
      .offset(paging.skip)
      .execute();
    return rows.map(planFromRow);
  }

  async countPlans(scope: RecordScope, filter: PlanFilter): Promise<number> {
    const row = await this.db
      .selectFrom('subscription_plans')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where((eb) => eb.and(planConditions(eb, scope, filter)))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  // ---- SMS passcodes ----

  async insertPasscode(passcode: SmsPasscode & { createdAt: number }): Promise<void> {
    await this.db
      .insertInto('sms_passcodes')
      .values({
        id: passcode.id,
        app_id: passcode.appId,
        mode: passcode.mode,
        phone: passcode.phone,
        code_hash: passcode.codeHash,
        tries: passcode.tries,
        used_at: passcode.usedAt,
        expires_at: passcode.expiresAt,
        created_at: passcode.createdAt,
      })
      .execute();
  }

  /** The passcode, its row locked for the rest of the transaction (PostgreSQL). */
  async lockPasscode(scope: RecordScope, id: string): Promise<SmsPasscode | undefined> {
    const row = await this.db
      .selectFrom('sms_passcodes')
      .selectAll()
      .where('id', '=', id)
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .$if(this.rowLocks, (query) => query.forUpdate())
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      id: row.id,
      appId: row.app_id,
      mode: row.mode,
      phone: row.phone,
      codeHash: row.code_hash,
      tries: Number(row.tries),
      usedAt: optionalNumber(row.used_at),
      expiresAt: Number(row.expires_at),
    };
  }

  /** Counts one more try of a passcode. */
  async countPasscodeTry(id: string): Promise<void> {
    await this.db
      .updateTable('sms_passcodes')
      .set((eb) => ({ tries: eb('tries', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  /** Uses a passcode, once; false when it had been used already. */
  async usePasscode(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('sms_passcodes')
      .set({ used_at: now })
      .where('id', '=', id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Passcodes past their expiry for a day are no use to anyone. */
  async deleteExpiredPasscodes(before: number): Promise<void> {
    await this.db.deleteFrom('sms_passcodes').where('expires_at', '<', before).execute();
  }

  // ---- cards ----

  /** Registers a card the first time its card_id is seen (the same factors give the same card_id). */
  async saveCard(card: SubscriptionCard): Promise<void> {
    await this.db
      .insertInto('subscription_cards')
      .values({
        card_id: card.cardId,
        app_id: card.appId,
        mode: card.mode,
        bank_name: card.bankName,
        card_no: this.sealer.seal(card.cardNo),
        id_name: card.idName,
        id_no: this.sealer.seal(card.idNo),
        mobile: this.sealer.seal(card.mobile),
        last4: card.last4,
        verified: card.verified ? 1 : 0,
        created_at: card.createdAt,
      })
      .onConflict((oc) => oc.column('card_id').doNothing())
      .execute();
  }

  async findCard(scope: RecordScope, cardId: string): Promise<SubscriptionCard | undefined> {
    const row = await this.db
      .selectFrom('subscription_cards')
      .selectAll()
      .where('card_id', '=', cardId)
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      cardId: row.card_id,
      appId: row.app_id,
      mode: row.mode,
      bankName: row.bank_name,
      cardNo: this.sealer.open(row.card_no),
      idName: row.id_name,
      idNo: this.sealer.open(row.id_no),
      mobile: this.sealer.open(row.mobile),
      last4: row.last4,
      verified: Number(row.verified) === 1,
      createdAt: Number(row.created_at),
    };
  }

  async markCardVerified(cardId: string): Promise<void> {
    await this.db
      .updateTable('subscription_cards')
      .set({ verified: 1 })
      .where('card_id', '=', cardId)
      .execute();
  }

  // ---- subscriptions ----

  async insertSubscription(subscription: Subscription): Promise<void> {
    await this.db
      .insertInto('subscriptions')
      .values({
        id: subscription.id,
        app_id: subscription.appId,
        mode: subscription.mode,
        buyer_id: subscription.buyerId,
        plan_id: subscription.planId,
        card_id: subscription.cardId,
        bank_name: subscription.bankName,
        last4: subscription.last4,
        amount: subscription.amount,
        trial_end: subscription.trialEnd,
        optional: jsonOrNull(subscription.optional),
        coupon_id: subscription.couponId,
        status: subscription.status,
        valid: subscription.valid ? 1 : 0,
        review_at: subscription.reviewAt,
        cancel_at_period_end: subscription.cancelAtPeriodEnd ? 1 : 0,
        next_charge_at: subscription.nextChargeAt,
        next_period: subscription.nextPeriod,
        created_at: subscription.createdAt,
        updated_at: subscription.updatedAt,
      })
      .execute();
  }

  /** A subscription of the app; `lock` locks its row for the rest of the transaction (PostgreSQL). */
  async findSubscription(scope: RecordScope, id: string, lock = false): Promise<Subscription | undefined> {
    const row = await this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('id', '=', id)
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .$if(lock && this.rowLocks, (query) => query.forUpdate())
      .executeTakeFirst();
    return row ? subscriptionFromRow(row) : undefined;
  }

  async findSubscriptionById(id: string): Promise<Subscription | undefined> {
    const row = await this.db.selectFrom('subscriptions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? subscriptionFromRow(row) : undefined;
  }

  /** Applies `change` if the subscription is still in `fromStatus` at period `fromPeriod`; false otherwise. */
  async changeSubscription(
    id: string,
    from: { status: SubscriptionStatus; period: number },
    change: SubscriptionChange,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('subscriptions')
      .set({
        ...(change.status !== undefined ? { status: change.status } : {}),
        ...(change.valid !== undefined ? { valid: change.valid ? 1 : 0 } : {}),
        ...(change.reviewAt !== undefined ? { review_at: change.reviewAt } : {}),
        ...(change.cancelAtPeriodEnd !== undefined
          ? { cancel_at_period_end: change.cancelAtPeriodEnd ? 1 : 0 }
          : {}),
        ...(change.nextChargeAt !== undefined ? { next_charge_at: change.nextChargeAt } : {}),
        ...(change.nextPeriod !== undefined ? { next_period: change.nextPeriod } : {}),
        ...(change.amount !== undefined ? { amount: change.amount } : {}),
        ...(change.trialEnd !== undefined ? { trial_end: change.trialEnd } : {}),
        ...(change.optional !== undefined ? { optional: jsonOrNull(change.optional) } : {}),
        updated_at: change.now,
      })
      .where('id', '=', id)
      .where('status', '=', from.status)
      .where('next_period', '=', from.period)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async listSubscriptions(
    scope: RecordScope,
    filter: SubscriptionFilter,
    paging: Paging,
  ): Promise<Subscription[]> {
    const rows = await this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where((eb) => eb.and(subscriptionConditions(eb, scope, filter)))
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(paging.limit)
      .offset(paging.skip)
      .execute();
    return rows.map(subscriptionFromRow);
  }

  async countSubscriptions(scope: RecordScope, filter: SubscriptionFilter): Promise<number> {
    const row = await this.db
      .selectFrom('subscriptions')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where((eb) => eb.and(subscriptionConditions(eb, scope, filter)))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  // ---- the scheduler ----

  /** Subscriptions whose card review is due, claimed (skipped when another scheduler holds them). */
  async claimDueReviews(now: number, limit: number): Promise<Subscription[]> {
    const rows = await this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('status', '=', 'pending')
      .where('review_at', '<=', now)
      .orderBy('review_at')
      .limit(limit)
      .$if(this.rowLocks, (query) => query.forUpdate().skipLocked())
      .execute();
    return rows.map(subscriptionFromRow);
  }

  /** Subscriptions with a period starting at or before `now`, claimed like `claimDueReviews`. */
  async claimDuePeriods(now: number, limit: number): Promise<Subscription[]> {
    const rows = await this.db
      .selectFrom('subscriptions')
      .selectAll()
      .where('status', 'in', ['trialing', 'active', 'past_due'])
      .where('next_charge_at', '<=', now)
      .orderBy('next_charge_at')
      .limit(limit)
      .$if(this.rowLocks, (query) => query.forUpdate().skipLocked())
      .execute();
    return rows.map(subscriptionFromRow);
  }

  /** Writes a period's charge; `duplicate` when that period already has one. */
  async insertCharge(charge: SubscriptionCharge): Promise<'inserted' | 'duplicate'> {
    const result = await this.db
      .insertInto('subscription_charges')
      .values({
        id: charge.id,
        app_id: charge.appId,
        mode: charge.mode,
        subscription_id: charge.subscriptionId,
        period: charge.period,
        period_start: charge.periodStart,
        fee: charge.fee,
        status: charge.status,
        tries: charge.tries,
        next_try_at: charge.nextTryAt,
        message: charge.message,
        created_at: charge.createdAt,
        finished_at: charge.finishedAt,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'inserted' : 'duplicate';
  }

  /** Pending charges whose next try is due, claimed (skipped when another scheduler holds them). */
  async claimDueCharges(now: number, limit: number): Promise<SubscriptionCharge[]> {
    const rows = await this.db
      .selectFrom('subscription_charges')
      .selectAll()
      .where('status', '=', 'pending')
      .where('next_try_at', '<=', now)
      .orderBy('next_try_at')
      .limit(limit)
      .$if(this.rowLocks, (query) => query.forUpdate().skipLocked())
      .execute();
    return rows.map(chargeFromRow);
  }

  /** Records a try of a pending charge that was at `tries`; false when someone else moved it first. */
  async settleCharge(
    id: string,
    fromTries: number,
    outcome: {
      status: ChargeStatus;
      tries: number;
      nextTryAt: number | null;
      message: string | null;
      now: number;
    },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('subscription_charges')
      .set({
        status: outcome.status,
        tries: outcome.tries,
        next_try_at: outcome.nextTryAt,
        message: outcome.message,
        finished_at: outcome.status === 'pending' ? null : outcome.now,
      })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .where('tries', '=', fromTries)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Stops the pending charges of a cancelled subscription. */
  async cancelPendingCharges(subscriptionId: string, now: number): Promise<void> {
    await this.db
      .updateTable('subscription_charges')
      .set({
        status: 'canceled',
        next_try_at: null,
        finished_at: now,
        message: 'the subscription was canceled',
      })
      .where('subscription_id', '=', subscriptionId)
      .where('status', '=', 'pending')
      .execute();
  }

  /** A subscription's charges, oldest period first. */
  async chargesOf(subscriptionId: string): Promise<SubscriptionCharge[]> {
    const rows = await this.db
      .selectFrom('subscription_charges')
      .selectAll()
      .where('subscription_id', '=', subscriptionId)
      .orderBy('period')
      .execute();
    return rows.map(chargeFromRow);
  }
}

function createdConditions(
  eb: ExpressionBuilder<GatewayTables, 'subscription_plans' | 'subscriptions'>,
  filter: CreatedRange,
): Expression<SqlBool>[] {
  const list: Expression<SqlBool>[] = [];
  if (filter.createdAfter !== undefined) list.push(eb('created_at', '>=', filter.createdAfter));
  if (filter.createdBefore !== undefined) list.push(eb('created_at', '<=', filter.createdBefore));
  return list;
}

function planConditions(
  eb: ExpressionBuilder<GatewayTables, 'subscription_plans'>,
  scope: RecordScope,
  filter: PlanFilter,
): Expression<SqlBool>[] {
  const list: Expression<SqlBool>[] = [
    eb('app_id', '=', scope.appId),
    eb('mode', '=', scope.mode),
    eb('valid', '=', 1),
    ...createdConditions(eb, filter),
  ];
  if (filter.name !== undefined) list.push(eb('name', '=', filter.name));
  if (filter.nameWithSubstring !== undefined) {
    // instr (SQLite) / strpos (PostgreSQL) would differ; LIKE with the pattern characters escaped is portable.
    const escaped = filter.nameWithSubstring.replace(/[\\%_]/g, (c) => `\\${c}`);
    list.push(sql<SqlBool>`name LIKE ${`%${escaped}%`} ESCAPE '\\'`);
  }
  if (filter.interval !== undefined) list.push(eb('period_unit', '=', filter.interval));
  if (filter.intervalCount !== undefined) list.push(eb('period_count', '=', filter.intervalCount));
  if (filter.trialDays !== undefined) list.push(eb('trial_days', '=', filter.trialDays));
  return list;
}

function subscriptionConditions(
  eb: ExpressionBuilder<GatewayTables, 'subscriptions'>,
  scope: RecordScope,
  filter: SubscriptionFilter,
): Expression<SqlBool>[] {
  const list: Expression<SqlBool>[] = [
    eb('app_id', '=', scope.appId),
    eb('mode', '=', scope.mode),
    ...createdConditions(eb, filter),
  ];
  if (filter.buyerId !== undefined) list.push(eb('buyer_id', '=', filter.buyerId));
  if (filter.planId !== undefined) list.push(eb('plan_id', '=', filter.planId));
  if (filter.cardId !== undefined) list.push(eb('card_id', '=', filter.cardId));
  return list;
}
