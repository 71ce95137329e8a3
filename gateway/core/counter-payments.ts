/**
 * Counter and card payments, the core's use cases for the channels outside the button: the till that scans the
 * payer's payment code (WX_SCAN, ALI_SCAN: `chargePaymentCode`), asks how a bill stands (`refreshOrder`) and cancels
 * it (`revertOrder`, BeeCloud's REVERT), and PayPal card payments (`chargeCard`). Every attempt is a bill of the
 * one order table made by `Payments.openAttempt`, and every payment is booked by `Payments.bookChannelPayment`
 * (so the PAY webhook goes through the outbox, in the booking's transaction, as for any other channel).
 */
import { randomUUID } from 'node:crypto';
import type { App, AppMode } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import { ChannelCallError, type CardPayment } from '../channels/channel.ts';
import { channelFilterMatches, isChannelEnabled, type ChannelFilter } from '../channels/channels.ts';
import { attemptOf, channelUrlsFor, type CoreDeps } from './core-deps.ts';
import { DomainError } from './domain-error.ts';
import type { Payments, PaymentRequest } from './payments.ts';

/** How soon reconciliation first asks about a payment-code payment left waiting for the payer. */
const waitingReconcileMs = 2000;

export interface PaymentCodeOutcome {
  bill: Bill;
  /** True when the payment is booked; false while the payer still has to confirm (ask again, or revert). */
  paid: boolean;
}

/** A card as the merchant sent it (PAYPAL_CREDITCARD). */
export interface CardInput {
  number: string;
  expireMonth: number;
  expireYear: number;
  cvv: string;
  firstName: string;
  lastName: string;
  cardType: string;
}

export interface CardOutcome {
  bill: Bill;
  /** The card saved at the channel (PAYPAL_CREDITCARD), for later PAYPAL_SAVED_CREDITCARD payments. */
  cardId: string | null;
}

export type RevertOutcome = { reverted: true; bills: Bill[] } | { reverted: false; reason: string };

export class CounterPayments {
  constructor(
    private readonly deps: CoreDeps,
    private readonly payments: Payments,
  ) {}

  /**
   * Takes a payment with the payer's payment code. Paid at once → booked (PAY webhook). Waiting for the payer's
   * password → the attempt stays open and is asked about again soon (and on each `refreshOrder`). Refused → the
   * attempt is closed and the refusal thrown (`channel_refused`, about `auth_code`). A call whose outcome is unknown
   * (network, timeout) leaves the attempt open: the channel may have taken the money, so only a query or a revert
   * may settle it.
   */
  async chargePaymentCode(request: PaymentRequest, authCode: string): Promise<PaymentCodeOutcome> {
    this.checkEnabled(request);
    const adapter = this.deps.registry.adapterFor(request.app, request.mode, request.channel);
    if (adapter.chargePaymentCode === undefined) {
      throw new DomainError(
        'channel_unsupported',
        'channel',
        `${request.channel} is only offered in test mode on this gateway`,
      );
    }
    const bill = await this.payments.openAttempt({ ...request, reconcileAfterMs: waitingReconcileMs });
    let result;
    try {
      result = await adapter.chargePaymentCode(
        attemptOf(bill, request.payerIp ?? null),
        authCode,
        channelUrlsFor(this.deps.publicUrl(), request.app, bill),
      );
    } catch (error) {
      if (error instanceof ChannelCallError && !error.retryable) {
        await this.payments.closeAttempt(bill.id, 'closed');
        throw new DomainError(
          'channel_refused',
          'auth_code',
          `the channel refused the payment: ${error.code}`,
        );
      }
      this.deps.log('warn', 'payment code outcome unknown: left open for a query or a revert', {
        billId: bill.id,
        err: String(error),
      });
      return { bill, paid: false };
    }
    if (result.status === 'failed') {
      await this.payments.closeAttempt(bill.id, 'closed');
      throw new DomainError('channel_refused', 'auth_code', `the payment was refused: ${result.reason}`);
    }
    if (result.status === 'waiting') return { bill, paid: false };
    const booked = await this.payments.bookChannelPayment(bill.id, result);
    const now = booked?.bill ?? bill;
    return { bill: now, paid: now.status === 'paid' };
  }

  /** Charges a card (PAYPAL_CREDITCARD, or PAYPAL_SAVED_CREDITCARD with a card this app saved before). */
  async chargeCard(
    request: PaymentRequest,
    card: { kind: 'card'; card: CardInput } | { kind: 'saved'; cardId: string },
  ): Promise<CardOutcome> {
    this.checkEnabled(request);
    const adapter = this.deps.registry.adapterFor(request.app, request.mode, request.channel);
    if (adapter.chargeCard === undefined) {
      throw new DomainError(
        'channel_unsupported',
        'channel',
        `${request.channel} is only offered in test mode on this gateway`,
      );
    }
    let payment: CardPayment;
    if (card.kind === 'saved') {
      const saved = await this.deps.store.international.findCard(
        request.app.appId,
        request.mode,
        card.cardId,
      );
      if (saved === undefined) {
        throw new DomainError('card_unknown', 'credit_card_id', `no saved card ${card.cardId.slice(0, 64)}`);
      }
      payment = { kind: 'saved', cardId: saved.id, last4: saved.last4 };
    } else {
      payment = { kind: 'card', ...card.card };
    }
    const bill = await this.payments.openAttempt(request);
    let result;
    try {
      result = await adapter.chargeCard(
        { ...attemptOf(bill, request.payerIp ?? null), currency: request.currency },
        payment,
      );
    } catch (error) {
      await this.payments.closeAttempt(bill.id, 'closed');
      this.deps.log('error', 'card payment failed', { billId: bill.id, err: String(error) });
      throw new DomainError('channel_refused', 'channel', `${request.channel} did not accept the payment`);
    }
    if (result.status === 'failed') {
      await this.payments.closeAttempt(bill.id, 'closed');
      throw new DomainError('channel_refused', 'credit_card_info', `the card was declined: ${result.reason}`);
    }
    if (card.kind === 'card' && result.cardId !== null) {
      await this.deps.store.international.saveCard({
        id: result.cardId,
        appId: request.app.appId,
        mode: request.mode,
        cardType: card.card.cardType,
        last4: card.card.number.slice(-4),
        expireMonth: card.card.expireMonth,
        expireYear: card.card.expireYear,
        firstName: card.card.firstName,
        lastName: card.card.lastName,
        createTime: this.deps.now(),
      });
    }
    const booked = await this.payments.bookChannelPayment(bill.id, result);
    return { bill: booked?.bill ?? bill, cardId: card.kind === 'card' ? result.cardId : card.cardId };
  }

  /**
   * The attempts of an order on the channels `filter` allows, newest first, after asking the channel about each
   * open one (a payer who confirmed on the phone is booked here, as a notify would have). Empty: no such order.
   */
  async refreshOrder(app: App, mode: AppMode, billNo: string, filter?: ChannelFilter): Promise<Bill[]> {
    const attempts = await this.attempts(app, mode, billNo, filter);
    const fresh: Bill[] = [];
    for (const bill of attempts) fresh.push(bill.status === 'open' ? await this.refresh(app, bill) : bill);
    return fresh;
  }

  /**
   * REVERT: cancels the open attempts of an order at their channels and closes them. A paid order is not reverted
   * (its money is returned by a refund); an attempt the channel reports paid on the way is booked, and the revert
   * refused.
   */
  async revertOrder(app: App, mode: AppMode, billNo: string, filter?: ChannelFilter): Promise<RevertOutcome> {
    const attempts = await this.refreshOrder(app, mode, billNo, filter);
    if (attempts.length === 0) throw new DomainError('bill_unknown', 'bill_no', `no bill ${billNo}`);
    if (attempts.some((bill) => bill.status === 'paid')) {
      return { reverted: false, reason: `bill ${billNo} is paid: return the money with a refund` };
    }
    const reverted: Bill[] = [];
    for (const bill of attempts) {
      if (bill.status !== 'open') {
        reverted.push(bill);
        continue;
      }
      const adapter = this.deps.registry.adapterFor(app, bill.mode, bill.subChannel);
      try {
        if (adapter.cancelPayment) {
          const cancelled = await adapter.cancelPayment(attemptOf(bill));
          if (cancelled.action === 'refunded') {
            this.deps.log('warn', 'revert: the channel refunded a payment it had taken', {
              billId: bill.id,
              detail: cancelled.detail,
            });
          }
        } else {
          await adapter.closePayment(attemptOf(bill));
        }
      } catch (error) {
        this.deps.log('warn', 'revert: the channel did not cancel the payment', {
          billId: bill.id,
          err: String(error),
        });
        return { reverted: false, reason: `the channel did not cancel ${bill.subChannel}: try again` };
      }
      if (bill.mode === 'live') await this.deps.store.bills.channelClosed(bill.id);
      reverted.push((await this.payments.closeAttempt(bill.id, 'closed')) ?? bill);
    }
    return { reverted: true, bills: reverted };
  }

  private checkEnabled(request: PaymentRequest): void {
    if (!isChannelEnabled(request.channel, request.app.channels)) {
      throw new DomainError(
        'channel_not_enabled',
        'channel',
        `${request.channel} is not enabled for this app`,
      );
    }
  }

  private async attempts(app: App, mode: AppMode, billNo: string, filter?: ChannelFilter): Promise<Bill[]> {
    const all = await this.deps.store.bills.attemptsOf(app.appId, mode, billNo);
    return all.filter((bill) => channelFilterMatches(filter, bill.channel, bill.subChannel)).reverse();
  }

  /** Asks the channel about one open attempt and books what it says (paid → PAY webhook; closed → closed). */
  private async refresh(app: App, bill: Bill): Promise<Bill> {
    try {
      const adapter = this.deps.registry.adapterFor(app, bill.mode, bill.subChannel);
      const answer = await adapter.queryPayment(attemptOf(bill));
      if (answer.status === 'paid') {
        const booked = await this.payments.bookChannelPayment(bill.id, answer);
        return booked?.bill ?? bill;
      }
      if (answer.status === 'closed') return (await this.payments.closeAttempt(bill.id, 'closed')) ?? bill;
    } catch (error) {
      this.deps.log('warn', 'asking the channel about a bill failed', {
        billId: bill.id,
        err: String(error),
      });
    }
    return (await this.payments.findBill(bill.id)) ?? bill;
  }
}

/** A sandbox card id, as PayPal's vault names them (`CARD-…`). */
export function newCardId(): string {
  return `CARD-${randomUUID().replaceAll('-', '').slice(0, 24).toUpperCase()}`;
}
