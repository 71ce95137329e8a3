/**
 * Subscriptions (订阅支付, BeeCloud's subscription system): plans, SMS passcodes, subscribing with a bank card and
 * its holder's identity, cancelling, and the scheduler that charges each period.
 *
 * Everything that lives inside the gateway is real: plans, the passcode rules (one use, 5 tries, expiry), the
 * review that ends by a SUBSCRIPTION webhook, the calendar of periods, one charge per (subscription, period) even
 * with several schedulers on one PostgreSQL (claimed rows + a unique key), retries, `past_due`. What only a bank
 * can do — send the SMS, review the card's factors, debit the card — is answered by spay's sandbox bank
 * (core/card-auth.ts, documented test cards); live apps are refused for those calls.
 *
 * The scheduler (`runScheduler`, the core's timer) does three things each pass, each in transactions that claim
 * their rows: ends due card reviews, opens the charge of every period that has started (advancing the
 * subscription to its next period in the same transaction), and tries every due charge (the sandbox debit),
 * announcing each settled charge by a PAY webhook (sub_channel_type BC_SUBSCRIPTION).
 */
import { createHash, randomUUID, timingSafeEqual } from 'node:crypto';
import type { App } from '../apps/app.ts';
import type { Paging, RecordScope } from '../storage/record-filter.ts';
import type { Stores } from '../storage/store.ts';
import type { PlanFilter, SubscriptionFilter } from '../storage/subscription-store.ts';
import {
  chargeFee,
  firstChargeAt,
  periodStart,
  type Plan,
  type PlanInterval,
  type Subscription,
  type SubscriptionCharge,
} from '../subscriptions/subscription.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';
import {
  cardIdFor,
  checkCardFactors,
  requireSandboxBank,
  sandboxAccountFor,
  sandboxAccountOfCard,
} from './card-auth.ts';
import type { CoreDeps } from './core-deps.ts';
import { DomainError } from './domain-error.ts';

export interface SubscriptionOptions {
  /** How long an SMS passcode stays valid (default 5 min). */
  smsTtlMs?: number;
  /** How long the sandbox bank takes to review a new card (default 3 s). */
  reviewMs?: number;
  /** Waits before the retries of a declined charge (default 1 h, then 24 h: three tries in all). */
  retryDelaysMs?: number[];
  /** How often the scheduler runs (default 5 s). */
  passMs?: number;
}

/** The passcode the sandbox "sends" (no SMS leaves spay): documented, the same for every test-mode app. */
export const SANDBOX_SMS_CODE = '123456';
/** Wrong codes a passcode survives; the next try kills it. */
export const MAX_PASSCODE_TRIES = 5;

/** Banks the subscription system debits (BeeCloud's list: `common_banks` first, all in `banks`). */
export const COMMON_BANKS = [
  '中国工商银行',
  '中国农业银行',
  '中国银行',
  '中国建设银行',
  '交通银行',
  '招商银行',
];
export const SUBSCRIPTION_BANKS = [
  ...COMMON_BANKS,
  '中国邮政储蓄银行',
  '中信银行',
  '中国光大银行',
  '华夏银行',
  '中国民生银行',
  '广发银行',
  '平安银行',
  '兴业银行',
  '上海浦东发展银行',
  '北京银行',
  '上海银行',
];

export interface PlanInput {
  name: string;
  fee: number;
  interval: PlanInterval;
  intervalCount: number;
  currency: string;
  trialDays: number;
  optional: Record<string, unknown> | null;
}

/** A new card's factors, or a card_id registered before. */
export type CardInput =
  { cardId: string } | { bankName: string; cardNo: string; idName: string; idNo: string; mobile: string };

export interface SubscribeInput {
  buyerId: string;
  planId: string;
  card: CardInput;
  smsId: string;
  smsCode: string;
  amount: string;
  trialEnd: number | null;
  optional: Record<string, unknown> | null;
  couponId: string | null;
}

export interface SubscriptionUpdate {
  amount?: string;
  trialEnd?: number;
  optional?: Record<string, unknown>;
}

export interface SchedulerPass {
  reviewed: number;
  opened: number;
  tried: number;
}

const DEFAULT_RETRY_DELAYS = [3_600_000, 86_400_000];
const BATCH = 50;
/** Batches one pass handles at most per kind of work (the rest waits for the next pass). */
const MAX_BATCHES = 20;

function hashCode(code: string): string {
  return createHash('sha256').update(code).digest('hex');
}

export class Subscriptions {
  private readonly smsTtlMs: number;
  private readonly reviewMs: number;
  private readonly retryDelaysMs: number[];

  constructor(
    private readonly deps: CoreDeps,
    options: SubscriptionOptions = {},
  ) {
    this.smsTtlMs = options.smsTtlMs ?? 5 * 60_000;
    this.reviewMs = options.reviewMs ?? 3000;
    this.retryDelaysMs = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
  }

  // ---- plans ----

  async createPlan(app: App, input: PlanInput): Promise<Plan> {
    const now = this.deps.now();
    const plan: Plan = {
      id: randomUUID(),
      appId: app.appId,
      mode: app.mode,
      ...input,
      valid: true,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.subscriptions.insertPlan(plan);
    return plan;
  }

  async plan(app: App, id: string): Promise<Plan> {
    const plan = await this.deps.store.subscriptions.findPlan(scopeOf(app), id);
    if (plan === undefined) throw planUnknown(id);
    return plan;
  }

  /** Renames or re-describes a plan (its fee and calendar never change: subscribers agreed to them). */
  async updatePlan(
    app: App,
    id: string,
    change: { name?: string; optional?: Record<string, unknown> },
  ): Promise<string> {
    if (!(await this.deps.store.subscriptions.updatePlan(scopeOf(app), id, change, this.deps.now()))) {
      throw planUnknown(id);
    }
    return id;
  }

  /** Deletes a plan: nobody can subscribe to it any more; existing subscriptions go on. */
  async deletePlan(app: App, id: string): Promise<string> {
    if (!(await this.deps.store.subscriptions.deletePlan(scopeOf(app), id, this.deps.now()))) {
      throw planUnknown(id);
    }
    return id;
  }

  listPlans(app: App, filter: PlanFilter, paging: Paging): Promise<Plan[]> {
    return this.deps.store.subscriptions.listPlans(scopeOf(app), filter, paging);
  }

  countPlans(app: App, filter: PlanFilter): Promise<number> {
    return this.deps.store.subscriptions.countPlans(scopeOf(app), filter);
  }

  // ---- SMS passcodes ----

  /** `POST /2/sms`: a passcode for `phone`; the sandbox's is always SANDBOX_SMS_CODE (no SMS is sent). */
  async sendPasscode(app: App, phone: string): Promise<{ smsId: string; expiresAt: number }> {
    requireSandboxBank(app, 'sending an SMS passcode');
    const now = this.deps.now();
    const smsId = `sms_${randomUUID().replaceAll('-', '')}`;
    const expiresAt = now + this.smsTtlMs;
    await this.deps.store.subscriptions.insertPasscode({
      id: smsId,
      appId: app.appId,
      mode: app.mode,
      phone,
      codeHash: hashCode(SANDBOX_SMS_CODE),
      tries: 0,
      usedAt: null,
      expiresAt,
      createdAt: now,
    });
    // Passcodes a day past their expiry are kept no longer (a cheap sweep, on the write path).
    await this.deps.store.subscriptions.deleteExpiredPasscodes(now - 86_400_000);
    return { smsId, expiresAt };
  }

  // ---- subscriptions ----

  /**
   * `POST /2/subscription`. The passcode must be the one sent to the card's mobile; a wrong code counts a try
   * (committed) and is refused. A card already confirmed by the bank makes the subscription valid at once;
   * a new card waits for the sandbox bank's review (`pending`), which ends by a SUBSCRIPTION webhook.
   */
  async subscribe(app: App, input: SubscribeInput): Promise<Subscription> {
    requireSandboxBank(app, 'subscribing with a bank card');
    const scope = scopeOf(app);
    const plan = await this.plan(app, input.planId);
    if ('cardNo' in input.card) {
      checkCardFactors({
        name: input.card.idName,
        idNo: input.card.idNo,
        cardNo: input.card.cardNo,
        mobile: input.card.mobile,
      });
    }
    const now = this.deps.now();
    if (input.trialEnd !== null && input.trialEnd <= now) {
      throw new DomainError('subscription_closed', 'trial_end', 'must be in the future');
    }
    const outcome = await this.deps.store.transaction(async (stores) => {
      const card = await this.cardFor(stores, app, input.card, now);
      const passcode = await this.checkPasscode(stores, scope, input.smsId, input.smsCode, card.mobile, now);
      if (passcode !== 'ok') return { refusal: passcode } as const;
      await stores.subscriptions.saveCard(card);
      const anchor = firstChargeAt(now, plan.trialDays, input.trialEnd);
      const subscription: Subscription = {
        id: randomUUID(),
        appId: app.appId,
        mode: app.mode,
        buyerId: input.buyerId,
        planId: plan.id,
        cardId: card.cardId,
        bankName: card.bankName,
        last4: card.last4,
        amount: input.amount,
        trialEnd: input.trialEnd,
        optional: input.optional,
        couponId: input.couponId,
        status: card.verified ? (anchor > now ? 'trialing' : 'active') : 'pending',
        valid: card.verified,
        reviewAt: card.verified ? null : now + this.reviewMs,
        cancelAtPeriodEnd: false,
        nextChargeAt: card.verified ? anchor : null,
        nextPeriod: 0,
        createdAt: now,
        updatedAt: now,
      };
      await stores.subscriptions.insertSubscription(subscription);
      if (subscription.valid) await this.announceSubscription(stores, app, subscription, plan, now);
      return { subscription } as const;
    });
    if ('refusal' in outcome) throw outcome.refusal;
    if (outcome.subscription.valid) this.deps.webhooksEnqueued();
    return outcome.subscription;
  }

  async subscription(app: App, id: string): Promise<Subscription> {
    const found = await this.deps.store.subscriptions.findSubscription(scopeOf(app), id);
    if (found === undefined) throw subscriptionUnknown(id);
    return found;
  }

  listSubscriptions(app: App, filter: SubscriptionFilter, paging: Paging): Promise<Subscription[]> {
    return this.deps.store.subscriptions.listSubscriptions(scopeOf(app), filter, paging);
  }

  countSubscriptions(app: App, filter: SubscriptionFilter): Promise<number> {
    return this.deps.store.subscriptions.countSubscriptions(scopeOf(app), filter);
  }

  /** A subscription's charges, first period first. */
  async charges(app: App, id: string): Promise<SubscriptionCharge[]> {
    await this.subscription(app, id);
    return this.deps.store.subscriptions.chargesOf(id);
  }

  /**
   * `PUT|POST /2/subscription/{id}`: a new amount (from the next charge on), optional, or — before the first
   * charge — a new trial_end. A cancelled or refused subscription cannot change.
   */
  async updateSubscription(app: App, id: string, update: SubscriptionUpdate): Promise<string> {
    const now = this.deps.now();
    await this.deps.store.transaction(async (stores) => {
      const current = await stores.subscriptions.findSubscription(scopeOf(app), id, true);
      if (current === undefined) throw subscriptionUnknown(id);
      if (current.status === 'canceled' || current.status === 'failed') {
        throw new DomainError(
          'subscription_closed',
          'subscription_id',
          `subscription ${id} is ${current.status}`,
        );
      }
      let nextChargeAt: number | undefined;
      if (update.trialEnd !== undefined) {
        if (current.nextPeriod > 0) {
          throw new DomainError(
            'subscription_closed',
            'trial_end',
            'can change only before the first charge',
          );
        }
        if (update.trialEnd <= now) {
          throw new DomainError('subscription_closed', 'trial_end', 'must be in the future');
        }
        if (current.nextChargeAt !== null) nextChargeAt = update.trialEnd;
      }
      const changed = await stores.subscriptions.changeSubscription(
        id,
        { status: current.status, period: current.nextPeriod },
        {
          amount: update.amount,
          trialEnd: update.trialEnd,
          optional: update.optional,
          nextChargeAt,
          ...(nextChargeAt !== undefined && current.status === 'active' ? { status: 'trialing' } : {}),
          now,
        },
      );
      if (!changed)
        throw new DomainError('subscription_closed', 'subscription_id', 'changed meanwhile: retry');
    });
    return id;
  }

  /**
   * `DELETE /2/subscription/{id}`: cancels now (pending charges stop), or at the end of the current period
   * (`atPeriodEnd`: the next period is not charged). Cancelling a cancelled subscription answers the same.
   */
  async cancel(app: App, id: string, atPeriodEnd: boolean): Promise<string> {
    const now = this.deps.now();
    await this.deps.store.transaction(async (stores) => {
      const current = await stores.subscriptions.findSubscription(scopeOf(app), id, true);
      if (current === undefined) throw subscriptionUnknown(id);
      if (current.status === 'canceled' || current.status === 'failed') return;
      const from = { status: current.status, period: current.nextPeriod };
      const scheduled = current.status !== 'pending' && current.nextChargeAt !== null;
      if (atPeriodEnd && scheduled) {
        await stores.subscriptions.changeSubscription(id, from, { cancelAtPeriodEnd: true, now });
        return;
      }
      await stores.subscriptions.changeSubscription(id, from, {
        status: 'canceled',
        nextChargeAt: null,
        reviewAt: null,
        now,
      });
      await stores.subscriptions.cancelPendingCharges(id, now);
    });
    return id;
  }

  // ---- the scheduler ----

  /** One pass: due reviews, periods that started, due charges. Safe to run on several instances at once. */
  async runScheduler(): Promise<SchedulerPass> {
    const pass: SchedulerPass = { reviewed: 0, opened: 0, tried: 0 };
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const reviewed = await this.endReviews();
      pass.reviewed += reviewed;
      if (reviewed < BATCH) break;
    }
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const opened = await this.openDuePeriods();
      pass.opened += opened;
      if (opened < BATCH) break;
    }
    for (let batch = 0; batch < MAX_BATCHES; batch += 1) {
      const tried = await this.tryDueCharges();
      pass.tried += tried;
      if (tried < BATCH) break;
    }
    return pass;
  }

  /** Ends the sandbox bank's review of new cards: known factors pass, others are refused. */
  private async endReviews(): Promise<number> {
    const now = this.deps.now();
    const { count, announced } = await this.deps.store.transaction(async (stores) => {
      const due = await stores.subscriptions.claimDueReviews(now, BATCH);
      let announced = 0;
      for (const subscription of due) {
        const app = await stores.apps.findApp(subscription.appId);
        const card = await stores.subscriptions.findCard(subscription, subscription.cardId);
        const plan = await stores.subscriptions.findPlanById(subscription.planId);
        if (app === undefined || plan === undefined) continue;
        const passed =
          card !== undefined &&
          sandboxAccountFor({
            name: card.idName,
            idNo: card.idNo,
            cardNo: card.cardNo,
            mobile: card.mobile,
          }) !== undefined;
        const anchor = firstChargeAt(subscription.createdAt, plan.trialDays, subscription.trialEnd);
        const after: Subscription = passed
          ? {
              ...subscription,
              status: anchor > now ? 'trialing' : 'active',
              valid: true,
              reviewAt: null,
              nextChargeAt: anchor,
            }
          : { ...subscription, status: 'failed', valid: false, reviewAt: null, nextChargeAt: null };
        const changed = await stores.subscriptions.changeSubscription(
          subscription.id,
          { status: 'pending', period: subscription.nextPeriod },
          {
            status: after.status,
            valid: after.valid,
            reviewAt: null,
            nextChargeAt: after.nextChargeAt,
            now,
          },
        );
        if (!changed) continue;
        if (passed && card !== undefined) await stores.subscriptions.markCardVerified(card.cardId);
        await this.announceSubscription(stores, app, { ...after, updatedAt: now }, plan, now);
        announced += 1;
      }
      return { count: due.length, announced };
    });
    if (announced > 0) this.deps.webhooksEnqueued();
    return count;
  }

  /**
   * Opens the charge of every period that has started and moves each subscription to its next period, in one
   * transaction per batch; a subscription cancelled at period end is cancelled instead.
   */
  private async openDuePeriods(): Promise<number> {
    const now = this.deps.now();
    return this.deps.store.transaction(async (stores) => {
      const due = await stores.subscriptions.claimDuePeriods(now, BATCH);
      for (const subscription of due) {
        const from = { status: subscription.status, period: subscription.nextPeriod };
        const start = subscription.nextChargeAt ?? now;
        if (subscription.cancelAtPeriodEnd) {
          await stores.subscriptions.changeSubscription(subscription.id, from, {
            status: 'canceled',
            nextChargeAt: null,
            now,
          });
          await stores.subscriptions.cancelPendingCharges(subscription.id, now);
          continue;
        }
        const plan = await stores.subscriptions.findPlanById(subscription.planId);
        if (plan === undefined) continue;
        const anchor = firstChargeAt(subscription.createdAt, plan.trialDays, subscription.trialEnd);
        const next = subscription.nextPeriod + 1;
        const advanced = await stores.subscriptions.changeSubscription(subscription.id, from, {
          nextPeriod: next,
          nextChargeAt: periodStart(anchor, plan.interval, plan.intervalCount, next),
          ...(subscription.status === 'trialing' ? { status: 'active' } : {}),
          now,
        });
        if (!advanced) continue;
        await stores.subscriptions.insertCharge({
          id: randomUUID(),
          appId: subscription.appId,
          mode: subscription.mode,
          subscriptionId: subscription.id,
          period: subscription.nextPeriod,
          periodStart: start,
          fee: chargeFee(plan.fee, subscription.amount),
          status: 'pending',
          tries: 0,
          nextTryAt: now,
          message: null,
          createdAt: now,
          finishedAt: null,
        });
      }
      return due.length;
    });
  }

  /** Tries every due charge at the sandbox bank; settles, schedules a retry, or gives up (past_due). */
  private async tryDueCharges(): Promise<number> {
    const now = this.deps.now();
    const { count, announced } = await this.deps.store.transaction(async (stores) => {
      const due = await stores.subscriptions.claimDueCharges(now, BATCH);
      let announced = 0;
      for (const charge of due) {
        const subscription = await stores.subscriptions.findSubscriptionById(charge.subscriptionId);
        if (subscription === undefined || subscription.status === 'canceled') {
          await stores.subscriptions.cancelPendingCharges(charge.subscriptionId, now);
          continue;
        }
        const card = await stores.subscriptions.findCard(subscription, subscription.cardId);
        const tries = charge.tries + 1;
        const declined = this.sandboxDebitDeclined(card?.cardNo, charge, tries);
        if (declined === null) {
          const settled = await stores.subscriptions.settleCharge(charge.id, charge.tries, {
            status: 'paid',
            tries,
            nextTryAt: null,
            message: null,
            now,
          });
          if (!settled) continue;
          if (subscription.status === 'past_due') {
            await stores.subscriptions.changeSubscription(
              subscription.id,
              { status: 'past_due', period: subscription.nextPeriod },
              { status: 'active', now },
            );
          }
          if (
            await this.announceCharge(stores, subscription, { ...charge, status: 'paid', tries }, true, now)
          )
            announced += 1;
          continue;
        }
        const delay = this.retryDelaysMs[tries - 1];
        if (delay !== undefined) {
          await stores.subscriptions.settleCharge(charge.id, charge.tries, {
            status: 'pending',
            tries,
            nextTryAt: now + delay,
            message: declined,
            now,
          });
          continue;
        }
        const settled = await stores.subscriptions.settleCharge(charge.id, charge.tries, {
          status: 'failed',
          tries,
          nextTryAt: null,
          message: declined,
          now,
        });
        if (!settled) continue;
        if (subscription.status === 'active' || subscription.status === 'trialing') {
          await stores.subscriptions.changeSubscription(
            subscription.id,
            { status: subscription.status, period: subscription.nextPeriod },
            { status: 'past_due', now },
          );
        }
        const failed = { ...charge, status: 'failed' as const, tries, message: declined };
        if (await this.announceCharge(stores, subscription, failed, false, now)) announced += 1;
      }
      return { count: due.length, announced };
    });
    if (announced > 0) this.deps.webhooksEnqueued();
    return count;
  }

  /** The sandbox bank's answer to a debit: null when it went through, else why it was declined. */
  private sandboxDebitDeclined(
    cardNo: string | undefined,
    charge: SubscriptionCharge,
    tries: number,
  ): string | null {
    if (charge.fee === 0) return null;
    const account = cardNo === undefined ? undefined : sandboxAccountOfCard(cardNo);
    if (account === undefined) return 'the card is unknown to the sandbox bank';
    if (account.debit === 'declined') return 'declined by the bank: insufficient balance (sandbox test card)';
    if (account.debit === 'declined_once' && tries === 1) {
      return 'declined by the bank: temporarily unavailable (sandbox test card, the retry succeeds)';
    }
    return null;
  }

  private async cardFor(stores: Stores, app: App, input: CardInput, now: number) {
    if ('cardId' in input) {
      const card = await stores.subscriptions.findCard(scopeOf(app), input.cardId);
      if (card === undefined) {
        throw new DomainError('subscription_unknown', 'card_id', `no card ${input.cardId} in this app`);
      }
      return card;
    }
    const factors = { name: input.idName, idNo: input.idNo, cardNo: input.cardNo, mobile: input.mobile };
    const cardId = cardIdFor(app, { ...factors, bankName: input.bankName });
    const known = await stores.subscriptions.findCard(scopeOf(app), cardId);
    return (
      known ?? {
        cardId,
        appId: app.appId,
        mode: app.mode,
        bankName: input.bankName,
        cardNo: input.cardNo,
        idName: input.idName.trim(),
        idNo: input.idNo.toUpperCase(),
        mobile: input.mobile,
        last4: input.cardNo.slice(-4),
        verified: false,
        createdAt: now,
      }
    );
  }

  /** 'ok' and the passcode used, or the refusal to throw after committing the try it counted. */
  private async checkPasscode(
    stores: Stores,
    scope: RecordScope,
    smsId: string,
    code: string,
    mobile: string,
    now: number,
  ): Promise<'ok' | DomainError> {
    const passcode = await stores.subscriptions.lockPasscode(scope, smsId);
    if (passcode === undefined) return new DomainError('passcode_invalid', 'sms_id', 'no such passcode');
    if (passcode.usedAt !== null) return new DomainError('passcode_invalid', 'sms_id', 'was used already');
    if (passcode.expiresAt < now)
      return new DomainError('passcode_invalid', 'sms_id', 'has expired: send a new one');
    if (passcode.tries >= MAX_PASSCODE_TRIES) {
      return new DomainError('passcode_invalid', 'sms_id', 'was tried too often: send a new one');
    }
    if (passcode.phone !== mobile) {
      return new DomainError('passcode_invalid', 'sms_id', "was not sent to the card's mobile");
    }
    const given = Buffer.from(hashCode(code));
    if (!timingSafeEqual(given, Buffer.from(passcode.codeHash))) {
      await stores.subscriptions.countPasscodeTry(passcode.id);
      return new DomainError('passcode_invalid', 'sms_code', 'is not the code sent');
    }
    await stores.subscriptions.usePasscode(passcode.id, now);
    return 'ok';
  }

  /** The SUBSCRIPTION webhook: the subscription's outcome (valid or refused), with its card_id. */
  private async announceSubscription(
    stores: Stores,
    app: App,
    subscription: Subscription,
    plan: Plan,
    now: number,
  ): Promise<void> {
    await enqueueWebhook(
      stores,
      {
        app,
        mode: subscription.mode,
        transactionType: 'SUBSCRIPTION',
        transactionId: subscription.id,
        channelType: 'BC',
        subChannelType: 'BC_SUBSCRIPTION',
        transactionFee: chargeFee(plan.fee, subscription.amount),
        optional: subscription.optional,
        tradeSuccess: subscription.valid,
        messageDetail: {
          ...subscriptionDetail(subscription),
          ...(subscription.valid ? {} : { message: 'the bank refused the card factors' }),
        },
        channelTransactionId: '',
      },
      { now },
    );
  }

  /** The PAY webhook of a settled charge (paid, or failed for good). */
  private async announceCharge(
    stores: Stores,
    subscription: Subscription,
    charge: SubscriptionCharge,
    paid: boolean,
    now: number,
  ): Promise<boolean> {
    const app = await stores.apps.findApp(subscription.appId);
    if (app === undefined) return false;
    await enqueueWebhook(
      stores,
      {
        app,
        mode: subscription.mode,
        transactionType: 'PAY',
        transactionId: charge.id,
        channelType: 'BC',
        subChannelType: 'BC_SUBSCRIPTION',
        transactionFee: charge.fee,
        optional: subscription.optional,
        tradeSuccess: paid,
        messageDetail: {
          ...subscriptionDetail(subscription),
          subscription_id: subscription.id,
          charge_id: charge.id,
          period: charge.period,
          period_start: charge.periodStart,
          tries: charge.tries,
          charge_status: charge.status,
          ...(charge.message !== null && !paid ? { message: charge.message } : {}),
        },
        channelTransactionId: paid ? charge.id.replaceAll('-', '') : '',
      },
      { now },
    );
    return true;
  }
}

function subscriptionDetail(subscription: Subscription): Record<string, unknown> {
  return {
    id: subscription.id,
    buyer_id: subscription.buyerId,
    plan_id: subscription.planId,
    card_id: subscription.cardId,
    bank_name: subscription.bankName,
    last4: subscription.last4,
    status: subscription.status,
    valid: subscription.valid,
  };
}

function scopeOf(app: App): RecordScope {
  return { appId: app.appId, mode: app.mode };
}

function planUnknown(id: string): DomainError {
  return new DomainError('plan_unknown', 'plan_id', `no plan ${id} in this app (or it was deleted)`);
}

function subscriptionUnknown(id: string): DomainError {
  return new DomainError('subscription_unknown', 'subscription_id', `no subscription ${id} in this app`);
}
