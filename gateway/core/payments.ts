/**
 * Payments, the core's use cases for bills: start a payment (the one function behind the button endpoints and
 * the REST API), book a payment a channel reported, close and expire attempts.
 *
 * Rules of an order (app, mode, bill_no): it may be attempted on several channels; the first paid attempt pays the
 * order and closes the others in the same transaction, with the PAY webhook; money that still arrives for a closed
 * or expired attempt is recorded with `refund_required` and announced through `BillEvents.onLatePayment` (the
 * refunds listen). States only move forward (open → paid | closed | expired) and every transition is idempotent.
 * A live attempt that closes is closed at its channel after the commit (best effort, retried by reconciliation).
 */
import type { App, AppMode } from '../apps/app.ts';
import { newBillId } from '../bills/bill-id.ts';
import type { Bill, BillStatusFields, OptionalMap } from '../bills/bill.ts';
import type { PaymentStart } from '../channels/channel.ts';
import { channelInfo, isChannelEnabled, type ButtonChannel } from '../channels/channels.ts';
import type { BillExtras, BillListFilter } from '../storage/bill-store.ts';
import type { KeysetPaging, RecordScope } from '../storage/record-filter.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';
import { attemptOf, channelUrlsFor, type CoreDeps } from './core-deps.ts';
import { targetRefusal } from '../net/target-policy.ts';
import { DomainError } from './domain-error.ts';
import { holdCoupon, settleOrderCoupons, type CouponHold } from './coupons.ts';

/** QR bills expire after 2 hours unless the merchant sets bill_timeout. */
export const defaultQrBillTimeoutSeconds = 2 * 60 * 60;
/** A payment-code payment the payer has not confirmed is given up after 5 minutes unless reverted before. */
export const defaultScanBillTimeoutSeconds = 5 * 60;

export interface PaymentRequest {
  app: App;
  /** The bills' mode: the app's own, or test for the sandbox REST paths. */
  mode: AppMode;
  channel: ButtonChannel;
  billNo: string;
  title: string;
  totalFee: number;
  returnUrl?: string | null;
  notifyUrl?: string | null;
  optional?: OptionalMap | null;
  openid?: string | null;
  billTimeoutSeconds?: number | null;
  /**
   * Extras kept with the bill (buyer_id, coupon_id, analysis), written in the same transaction. With a coupon_id
   * the coupon is checked and held by the order in that transaction, and the attempt charges the discounted
   * amount (`totalFee` stays the order's amount).
   */
  extras?: BillExtras;
  payerIp?: string | null;
  /** International bills: the ISO 4217 currency of totalFee (in its minor units), kept with the bill. */
  currency?: string;
  /** Ask the channel about the attempt this soon after creation instead of the default (payment codes). */
  reconcileAfterMs?: number;
}

export interface StartedPayment {
  bill: Bill;
  start: PaymentStart;
}

/** What a channel says was paid (from a notify or a query). */
export interface ChannelPayment {
  tradeNo: string;
  totalFee: number;
  paidAt: number;
  detail: Record<string, unknown>;
}

export type PaymentOutcome = 'paid' | 'already_paid' | 'late_payment';

export type BookingResult =
  | { outcome: PaymentOutcome; bill: Bill }
  /** A verified payment whose amount is not the bill's: recorded on the bill and flagged, never booked. */
  | { outcome: 'amount_mismatch'; bill: Bill };

export interface BillView {
  bill: Bill;
  refunded: boolean;
  buyerId: string | null;
  /** With a coupon: its id, the order's amount before it and the discount (fen); bill.totalFee is what was charged. */
  couponId: string | null;
  billFee: number;
  discount: number;
}

export interface PaymentsOptions {
  /** First reconciliation of an open attempt this long after its creation (default 30 s). */
  reconcileAfterMs: number;
}

export class Payments {
  constructor(
    private readonly deps: CoreDeps,
    private readonly options: PaymentsOptions,
  ) {}

  /** Creates an attempt of the order (creating the order on its first attempt) and asks its channel how to pay. */
  async startPayment(request: PaymentRequest): Promise<StartedPayment> {
    const { app, channel } = request;
    if (!isChannelEnabled(channel, app.channels)) {
      throw new DomainError('channel_not_enabled', 'channel', `${channel} is not enabled for this app`);
    }
    if (request.notifyUrl) {
      const refusal = targetRefusal(request.notifyUrl, this.deps.allowPrivateTargets);
      if (refusal) throw new DomainError('target_refused', 'notify_url', refusal);
    }
    const adapter = this.deps.registry.adapterFor(app, request.mode, channel);
    const bill = await this.openAttempt(request);
    try {
      const start = await adapter.createPayment(
        attemptOf(bill, request.payerIp ?? null),
        channelUrlsFor(this.deps.publicUrl(), app, bill),
      );
      return { bill, start };
    } catch (error) {
      await this.closeAttempt(bill.id, 'closed');
      this.deps.log('error', 'channel refused the payment', { billId: bill.id, err: String(error) });
      throw new DomainError(
        'channel_refused',
        'channel',
        `${channel} did not accept the payment, try another channel`,
      );
    }
  }

  /**
   * Creates an attempt of the order (creating the order on its first attempt) without asking its channel: for
   * callers that then make their own channel call (payment codes, cards: core/counter-payments.ts).
   */
  async openAttempt(request: PaymentRequest): Promise<Bill> {
    const now = this.deps.now();
    const info = channelInfo(request.channel);
    const timeout =
      request.billTimeoutSeconds ??
      (info.action === 'qr'
        ? defaultQrBillTimeoutSeconds
        : info.action === 'scan'
          ? defaultScanBillTimeoutSeconds
          : null);
    const bill = await this.deps.store.transaction(async (tx) => {
      const key = { appId: request.app.appId, mode: request.mode, billNo: request.billNo };
      const created = await tx.bills.insertOrder(
        {
          appId: key.appId,
          mode: key.mode,
          billNo: key.billNo,
          title: request.title,
          totalFee: request.totalFee,
        },
        now,
      );
      if (created === 'exists') {
        // Locked: a payment of another attempt cannot pay the order between this check and the new attempt.
        const order = await tx.bills.lockOrder(key.appId, key.mode, key.billNo);
        if (order === undefined) throw new Error(`order ${key.billNo} vanished inside its transaction`);
        if (order.totalFee !== request.totalFee) {
          throw new DomainError(
            'order_conflict',
            'amount',
            `order ${request.billNo} already exists with amount ${order.totalFee}`,
          );
        }
        if (order.title !== request.title) {
          throw new DomainError(
            'order_conflict',
            'title',
            `order ${request.billNo} already exists with another title`,
          );
        }
        if (order.status === 'paid') {
          throw new DomainError('order_paid', 'bill_no', `order ${request.billNo} is already paid`);
        }
      }
      const couponId = request.extras?.couponId;
      let hold: CouponHold | undefined;
      if (couponId !== undefined) {
        hold = await holdCoupon(tx, {
          scope: { appId: key.appId, mode: key.mode },
          billNo: key.billNo,
          couponId,
          buyerId: request.extras?.buyerId,
          totalFee: request.totalFee,
          now,
        });
      }
      const id = newBillId();
      const bill = await tx.bills.insertBill({
        id,
        appId: key.appId,
        billNo: key.billNo,
        mode: key.mode,
        channel: info.family,
        subChannel: request.channel,
        title: request.title,
        totalFee: request.totalFee - (hold?.discount ?? 0),
        returnUrl: request.returnUrl ?? null,
        notifyUrl: request.notifyUrl ?? null,
        optional: request.optional ?? null,
        openid: request.openid ?? null,
        createTime: now,
        expiresAt: timeout === null ? null : now + timeout * 1000,
        reconcileAt: now + (request.reconcileAfterMs ?? this.options.reconcileAfterMs),
      });
      if (request.extras) {
        await tx.bills.saveExtras(
          id,
          hold ? { ...request.extras, billFee: hold.billFee, discount: hold.discount } : request.extras,
        );
      }
      if (request.currency !== undefined) await tx.international.saveCurrency(id, request.currency);
      return bill;
    });
    this.deps.events.billChanged(bill);
    this.deps.observer.billEvent(bill, 'created');
    this.deps.log('info', 'bill created', {
      billId: bill.id,
      appId: bill.appId,
      billNo: bill.billNo,
      channel: bill.subChannel,
      totalFee: bill.totalFee,
    });
    return bill;
  }

  /**
   * Books what a channel said was paid for a bill (a verified notify, or a query by reconciliation): only an
   * amount equal to the bill's is booked; another amount is kept on the bill, flagged and logged.
   */
  async bookChannelPayment(billId: string, payment: ChannelPayment): Promise<BookingResult | undefined> {
    const bill = await this.deps.store.bills.findBill(billId);
    if (bill === undefined) return undefined;
    if (payment.totalFee !== bill.totalFee) {
      await this.deps.store.bills.flagNotice(bill.id, {
        reported_total_fee: payment.totalFee,
        trade_no: payment.tradeNo,
        paid_at: payment.paidAt,
        detail: payment.detail,
        flagged_at: this.deps.now(),
      });
      this.deps.log('warn', 'channel reported another amount: not booked', {
        billId: bill.id,
        appId: bill.appId,
        billFee: bill.totalFee,
        reportedFee: payment.totalFee,
        tradeNo: payment.tradeNo,
      });
      return { outcome: 'amount_mismatch', bill };
    }
    return this.recordPayment(bill.id, payment);
  }

  private async recordPayment(
    billId: string,
    payment: ChannelPayment,
  ): Promise<{ outcome: PaymentOutcome; bill: Bill }> {
    let enqueued = false;
    const now = this.deps.now();
    const result = await this.deps.store.transaction(async (tx) => {
      // First paid wins: the order is locked, then the attempt, so payments of one order (on any channel, from
      // any gateway instance) are booked one after the other and each sees what the one before did.
      const seen = await tx.bills.requireBill(billId);
      const order = await tx.bills.lockOrder(seen.appId, seen.mode, seen.billNo);
      const bill = await tx.bills.lockBill(billId);
      if (bill === undefined) throw new Error(`bill ${billId} vanished inside its transaction`);
      if (bill.spayResult) {
        // Money under another trade number for a paid attempt: the payer paid twice. Kept for refund.
        const duplicate =
          bill.tradeNo !== null && payment.tradeNo !== bill.tradeNo
            ? await tx.duplicatePayments.record({
                billId: bill.id,
                appId: bill.appId,
                tradeNo: payment.tradeNo,
                totalFee: payment.totalFee,
                detail: payment.detail,
                receivedAt: now,
              })
            : false;
        return { bill, outcome: 'already_paid' as const, closed: [] as Bill[], duplicate };
      }
      if (bill.status !== 'open' || order?.status === 'paid') {
        await tx.bills.markLatePayment(bill, payment);
        return { bill: await tx.bills.requireBill(bill.id), outcome: 'late_payment' as const, closed: [] };
      }
      if (!(await tx.bills.markPaid(bill, payment))) throw new Error(`bill ${bill.id} changed while locked`);
      await tx.bills.markOrderPaid(bill.appId, bill.mode, bill.billNo, bill.id);
      const siblings = await tx.bills.openSiblingIds(bill);
      for (const id of siblings) await tx.bills.closeOpen(id, 'closed', now, bill.mode === 'live');
      const app = await tx.apps.findApp(bill.appId);
      if (!app) throw new Error(`bill ${bill.id} belongs to no app`);
      const paid = await tx.bills.requireBill(bill.id);
      await settleOrderCoupons(tx, paid, now);
      const extras = (await tx.bills.extrasOf([paid.id])).get(paid.id);
      await enqueueWebhook(
        tx,
        {
          app,
          mode: paid.mode,
          transactionType: 'PAY',
          transactionId: paid.billNo,
          channelType: paid.channel,
          subChannelType: paid.subChannel,
          transactionFee: paid.totalFee,
          optional: paid.optional,
          messageDetail: payment.detail,
          channelTransactionId: payment.tradeNo,
          billId: paid.id,
          targetUrl: paid.notifyUrl,
          // Paid with a coupon: the order's amount, the discount and the coupon (transaction_fee is what was paid).
          ...(extras?.couponId
            ? {
                extraFields: {
                  bill_fee: extras.billFee ?? paid.totalFee,
                  discount: extras.discount ?? 0,
                  coupon_id: extras.couponId,
                },
              }
            : {}),
        },
        { now },
      );
      enqueued = true;
      const closed: Bill[] = [];
      for (const id of siblings) closed.push(await tx.bills.requireBill(id));
      return { bill: paid, outcome: 'paid' as const, closed };
    });
    if (enqueued) this.deps.webhooksEnqueued();
    this.deps.log(
      'info',
      result.outcome === 'late_payment'
        ? 'late payment recorded for refund'
        : 'duplicate' in result && result.duplicate
          ? 'second payment for a paid attempt recorded for refund'
          : 'payment recorded',
      {
        billId: result.bill.id,
        appId: result.bill.appId,
        billNo: result.bill.billNo,
        outcome: result.outcome,
        tradeNo: payment.tradeNo,
        closedAttempts: result.closed.map((bill) => bill.id),
      },
    );
    if (result.outcome === 'paid') {
      this.deps.events.billChanged(result.bill);
      this.deps.observer.billEvent(result.bill, 'paid');
      for (const closed of result.closed) {
        this.deps.events.billChanged(closed);
        this.deps.observer.billEvent(closed, 'closed');
        if (closed.mode === 'live') void this.closeAtChannel(closed);
      }
    } else if (result.outcome === 'late_payment') {
      this.deps.events.billChanged(result.bill);
      this.deps.events.latePayment(result.bill);
    }
    return { outcome: result.outcome, bill: result.bill };
  }

  /**
   * Moves an open attempt to `closed` (payer cancelled, another attempt paid) or `expired`. Returns the bill when
   * it changed, undefined when it was no longer open (idempotent).
   */
  async closeAttempt(
    billId: string,
    to: 'closed' | 'expired' = 'closed',
    { announce = true }: { announce?: boolean } = {},
  ): Promise<Bill | undefined> {
    const now = this.deps.now();
    const changed = await this.deps.store.transaction(async (tx) => {
      const bill = await tx.bills.findBill(billId);
      if (bill === undefined) return undefined;
      const withCoupon = Boolean((await tx.bills.extrasOf([billId])).get(billId)?.couponId);
      // A coupon's order is settled under the order's lock, taken before the attempt's (the lock order).
      if (withCoupon) await tx.bills.lockOrder(bill.appId, bill.mode, bill.billNo);
      const moved = await tx.bills.closeOpen(billId, to, now, bill.mode === 'live');
      if (moved && withCoupon) await settleOrderCoupons(tx, bill, now);
      return moved ? tx.bills.requireBill(billId) : undefined;
    });
    if (changed === undefined) return undefined;
    if (announce) this.deps.events.billChanged(changed);
    this.deps.observer.billEvent(changed, to);
    this.deps.log('info', `bill ${to}`, { billId: changed.id, appId: changed.appId, status: to });
    if (changed.mode === 'live') void this.closeAtChannel(changed);
    return changed;
  }

  /**
   * Closes a closed live attempt at its channel so it can no longer be paid; best effort (errors are logged and
   * reconciliation tries again). True when the channel confirmed.
   */
  async closeAtChannel(bill: Bill): Promise<boolean> {
    try {
      const app = await this.deps.store.apps.findApp(bill.appId);
      if (app === undefined) return false;
      const adapter = this.deps.registry.adapterFor(app, bill.mode, bill.subChannel);
      await adapter.closePayment(attemptOf(bill));
      await this.deps.store.bills.channelClosed(bill.id);
      return true;
    } catch (error) {
      this.deps.log('warn', 'closing the payment at its channel failed', {
        billId: bill.id,
        channel: bill.subChannel,
        err: String(error),
      });
      return false;
    }
  }

  /**
   * How the payer continues an open attempt (the Alipay-in-WeChat guide sends the payer on later): the channel's
   * answer again (createPayment is idempotent per attempt); undefined when the attempt is not open or its
   * channel is not available any more.
   */
  async continuePayment(bill: Bill): Promise<PaymentStart | undefined> {
    if (bill.status !== 'open') return undefined;
    const app = await this.deps.store.apps.findApp(bill.appId);
    if (app === undefined) return undefined;
    try {
      const adapter = this.deps.registry.adapterFor(app, bill.mode, bill.subChannel);
      return await adapter.createPayment(attemptOf(bill), channelUrlsFor(this.deps.publicUrl(), app, bill));
    } catch (error) {
      this.deps.log('warn', 'continuing a payment failed', { billId: bill.id, err: String(error) });
      return undefined;
    }
  }

  /** Expires every open attempt whose time is up; returns the expired bills. */
  async expireDueAttempts(): Promise<Bill[]> {
    const due = await this.deps.store.bills.openPastExpiry(this.deps.now(), 500);
    const expired: Bill[] = [];
    for (const id of due) {
      const bill = await this.closeAttempt(id, 'expired');
      if (bill) expired.push(bill);
    }
    return expired;
  }

  /** A bill by id; an open attempt past its expiry is expired on the spot. */
  async findBill(billId: string): Promise<Bill | undefined> {
    const bill = await this.deps.store.bills.findBill(billId);
    return bill && this.isDueToExpire(bill) ? this.expireNow(bill.id) : bill;
  }

  /** What a public status read shows of a bill (findBill's rule: an open attempt past its expiry is expired). */
  async findBillStatus(billId: string): Promise<BillStatusFields | undefined> {
    const bill = await this.deps.store.bills.findBillStatus(billId);
    return bill && this.isDueToExpire(bill) ? this.expireNow(bill.id) : bill;
  }

  private isDueToExpire(bill: Pick<Bill, 'status' | 'expiresAt'>): boolean {
    return bill.status === 'open' && bill.expiresAt !== null && bill.expiresAt <= this.deps.now();
  }

  private async expireNow(billId: string): Promise<Bill | undefined> {
    return (await this.closeAttempt(billId, 'expired')) ?? (await this.deps.store.bills.findBill(billId));
  }

  /** Bills of an app and mode with BeeCloud's filters, newest first, with what their records show. */
  async listBills(scope: RecordScope, filter: BillListFilter, paging: KeysetPaging): Promise<BillView[]> {
    return this.views(await this.deps.store.bills.list(scope, filter, paging));
  }

  async countBills(scope: RecordScope, filter: BillListFilter): Promise<number> {
    return this.deps.store.bills.count(scope, filter);
  }

  async views(bills: Bill[]): Promise<BillView[]> {
    const ids = bills.map((bill) => bill.id);
    const refunded = await this.deps.store.bills.refundedAmong(ids);
    const extras = await this.deps.store.bills.extrasOf(ids);
    return bills.map((bill) => {
      const extra = extras.get(bill.id);
      return {
        bill,
        refunded: refunded.has(bill.id),
        buyerId: extra?.buyerId ?? null,
        couponId: extra?.couponId && extra.discount !== null ? extra.couponId : null,
        billFee: extra?.billFee ?? bill.totalFee,
        discount: extra?.discount ?? 0,
      };
    });
  }
}
