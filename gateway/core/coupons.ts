/**
 * Coupons, the core's use cases for coupon templates and coupons (卡券): create a template and move its status
 * forward, issue a coupon of an active template to a registered user (never past the template's total_count or
 * max_count_per_user), find and list them, and the buyer's coupons with why each can or cannot pay an amount
 * (the button's 优惠券 row).
 *
 * A coupon pays part of an order inside the payment's own transaction (`holdCoupon`, called by Payments): the
 * coupon is checked (owner, validity, template active, threshold, unused) and marked used by the order in the
 * same transaction that creates the attempt charging the discounted amount, so two payments racing for one
 * coupon end with exactly one holding it. When the order's attempts with the coupon all end unpaid (failed,
 * cancelled, expired) the coupon is given back (`settleOrderCoupons`); once the order is paid with it, it stays used.
 */
import { randomUUID } from 'node:crypto';
import {
  couponRefusal,
  discountFor,
  refusalText,
  validityOf,
  type Coupon,
  type CouponRefusal,
  type CouponTemplate,
  type TemplateStatus,
} from '../coupons/coupon.ts';
import type { CouponListFilter, NewCouponTemplate, TemplateListFilter } from '../storage/coupon-store.ts';
import type { Paging, RecordScope } from '../storage/record-filter.ts';
import type { Stores } from '../storage/store.ts';
import type { CoreDeps } from './core-deps.ts';
import { DomainError } from './domain-error.ts';

export type TemplateInput = Omit<NewCouponTemplate, 'id' | 'appId' | 'mode' | 'createdAt'>;

/** A coupon of the buyer as the button lists it: usable, or not and why. */
export interface BuyerCoupon {
  coupon: Coupon;
  /** What it takes off the amount asked about (fen); 0 when it cannot be used. */
  discount: number;
  refusal: CouponRefusal | undefined;
}

/** What a coupon does to an attempt: the amount charged and the discount. */
export interface CouponHold {
  couponId: string;
  billFee: number;
  discount: number;
}

const forwardFrom: Record<TemplateStatus, TemplateStatus[]> = { 0: [], 1: [0], [-1]: [0, 1] };

export function newCouponId(): string {
  return randomUUID();
}

export class Coupons {
  constructor(private readonly deps: CoreDeps) {}

  async createTemplate(scope: RecordScope, input: TemplateInput): Promise<CouponTemplate> {
    const template = await this.deps.store.coupons.insertTemplate({
      ...input,
      id: randomUUID(),
      appId: scope.appId,
      mode: scope.mode,
      createdAt: this.deps.now(),
    });
    this.deps.log('info', 'coupon template created', { appId: scope.appId, templateId: template.id });
    return template;
  }

  async findTemplate(scope: RecordScope, id: string): Promise<CouponTemplate | undefined> {
    const template = await this.deps.store.coupons.findTemplate(id);
    return template && template.appId === scope.appId && template.mode === scope.mode ? template : undefined;
  }

  private async requireTemplate(scope: RecordScope, id: string): Promise<CouponTemplate> {
    const template = await this.findTemplate(scope, id);
    if (template === undefined) {
      throw new DomainError(
        'template_unknown',
        'template_id',
        `no coupon template ${id.slice(0, 64)} in this app`,
      );
    }
    return template;
  }

  /** Moves a template's status forward: 0 → 1 (start issuing) → -1 (stop); the same status again is a no-op. */
  async setTemplateStatus(scope: RecordScope, id: string, status: TemplateStatus): Promise<CouponTemplate> {
    const template = await this.requireTemplate(scope, id);
    if (template.status === status) return template;
    const moved = await this.deps.store.coupons.advanceTemplateStatus(
      id,
      status,
      forwardFrom[status],
      this.deps.now(),
    );
    if (!moved) {
      throw new DomainError(
        'template_status_backward',
        'status',
        `a template's status only moves forward (0 → 1 → -1); it is ${template.status}`,
      );
    }
    return this.requireTemplate(scope, id);
  }

  async listTemplates(
    scope: RecordScope,
    filter: TemplateListFilter,
    paging: Paging,
  ): Promise<CouponTemplate[]> {
    return this.deps.store.coupons.listTemplates(scope, filter, paging);
  }

  async countTemplates(scope: RecordScope, filter: TemplateListFilter): Promise<number> {
    return this.deps.store.coupons.countTemplates(scope, filter);
  }

  /** Issues one coupon of the template to a registered user, in one transaction with the template's counters. */
  async issue(scope: RecordScope, templateId: string, userId: string): Promise<Coupon> {
    const now = this.deps.now();
    const template = await this.requireTemplate(scope, templateId);
    if ((await this.deps.store.users.findUser(scope, userId)) === undefined) {
      throw new DomainError(
        'user_unknown',
        'user_id',
        `${userId.slice(0, 64)} is not a registered user of this app`,
      );
    }
    const id = newCouponId();
    await this.deps.store.transaction(async (tx) => {
      if (!(await tx.coupons.takeDelivery(template.id, now))) {
        throw new DomainError(
          'template_exhausted',
          'template_id',
          template.status !== 1
            ? `the template is not active (status ${template.status})`
            : `all ${template.totalCount} coupons of the template are issued (total_count)`,
        );
      }
      const held = await tx.coupons.countUserCoupons(template.id, userId);
      if (template.maxCountPerUser > 0 && held >= template.maxCountPerUser) {
        throw new DomainError(
          'template_exhausted',
          'user_id',
          `already has ${held} coupons of this template (max_count_per_user ${template.maxCountPerUser})`,
        );
      }
      await tx.coupons.insertCoupon({
        id,
        appId: scope.appId,
        mode: scope.mode,
        templateId: template.id,
        userId,
        ...validityOf(template, now),
        createdAt: now,
      });
    });
    this.deps.log('info', 'coupon issued', { appId: scope.appId, templateId, couponId: id });
    const coupon = await this.deps.store.coupons.findCoupon(id);
    if (coupon === undefined) throw new Error(`coupon ${id} vanished after its issue`);
    return coupon;
  }

  async find(scope: RecordScope, id: string): Promise<Coupon | undefined> {
    const coupon = await this.deps.store.coupons.findCoupon(id);
    return coupon && coupon.appId === scope.appId && coupon.mode === scope.mode ? coupon : undefined;
  }

  async list(scope: RecordScope, filter: CouponListFilter, paging: Paging): Promise<Coupon[]> {
    return this.deps.store.coupons.listCoupons(scope, filter, paging);
  }

  async count(scope: RecordScope, filter: CouponListFilter): Promise<number> {
    return this.deps.store.coupons.countCoupons(scope, filter);
  }

  /**
   * The buyer's coupons worth showing for an order of `totalFee` fen (the button's menu): unused ones and the
   * one this order already holds, each with its discount or why it cannot be used; usable first, best first.
   */
  async forBuyer(
    scope: RecordScope,
    buyerId: string,
    totalFee: number,
    billNo: string,
  ): Promise<BuyerCoupon[]> {
    const now = this.deps.now();
    const paging = { skip: 0, limit: 50 };
    const coupons = [
      ...(await this.list(scope, { userId: buyerId, status: 'unused' }, paging)),
      ...(await this.deps.store.coupons.heldByOrder(scope, billNo).then(async (ids) => {
        const held: Coupon[] = [];
        for (const id of ids) {
          const coupon = await this.find(scope, id);
          if (coupon && coupon.userId === buyerId) held.push(coupon);
        }
        return held;
      })),
    ];
    const listed = coupons.map((coupon) => {
      const refusal = couponRefusal(coupon, { buyerId, totalFee, now, billNo });
      return { coupon, refusal, discount: refusal ? 0 : discountFor(coupon.template, totalFee) };
    });
    return listed.sort(
      (a, b) => Number(a.refusal !== undefined) - Number(b.refusal !== undefined) || b.discount - a.discount,
    );
  }
}

/**
 * Inside the transaction that creates an attempt of the order `billNo` (the order row locked or just created):
 * checks the coupon and marks it used by the order. Throws `coupon_unusable` naming coupon_id when it cannot pay.
 */
export async function holdCoupon(
  tx: Stores,
  use: {
    scope: RecordScope;
    billNo: string;
    couponId: string;
    buyerId: string | undefined;
    totalFee: number;
    now: number;
  },
): Promise<CouponHold> {
  if (use.buyerId === undefined) {
    throw new DomainError(
      'coupon_unusable',
      'buyer_id',
      'is required with coupon_id (the user the coupon was issued to)',
    );
  }
  const coupon = await tx.coupons.lockCoupon(use.couponId);
  if (coupon === undefined || coupon.appId !== use.scope.appId || coupon.mode !== use.scope.mode) {
    throw new DomainError(
      'coupon_unknown',
      'coupon_id',
      `no coupon ${use.couponId.slice(0, 64)} in this app`,
    );
  }
  const refusal = couponRefusal(coupon, {
    buyerId: use.buyerId,
    totalFee: use.totalFee,
    now: use.now,
    billNo: use.billNo,
  });
  if (refusal !== undefined) {
    const threshold = refusal === 'below_threshold' ? ` (${coupon.template.limitFee} fen)` : '';
    throw new DomainError('coupon_unusable', 'coupon_id', `${refusalText[refusal]}${threshold}`);
  }
  if (!(await tx.coupons.holdForOrder(coupon, use.billNo, use.now))) {
    throw new DomainError('coupon_unusable', 'coupon_id', refusalText.used);
  }
  return { couponId: coupon.id, billFee: use.totalFee, discount: discountFor(coupon.template, use.totalFee) };
}

/**
 * After attempts of an order closed or one was paid (same transaction, order row locked): a coupon the order holds
 * is used for good when the paid attempt carries it, and given back when the order was paid without it or no
 * open attempt carries it any more. Returns the coupons given back.
 */
export async function settleOrderCoupons(
  tx: Stores,
  order: { appId: string; mode: 'test' | 'live'; billNo: string },
  now: number,
): Promise<string[]> {
  const scope = { appId: order.appId, mode: order.mode };
  const held = await tx.coupons.heldByOrder(scope, order.billNo);
  if (held.length === 0) return [];
  const current = await tx.bills.findOrder(order.appId, order.mode, order.billNo);
  const paidBillId = current?.status === 'paid' ? current.paidBillId : null;
  const paidWith =
    paidBillId === null ? null : ((await tx.bills.extrasOf([paidBillId])).get(paidBillId)?.couponId ?? null);
  const released: string[] = [];
  for (const couponId of held) {
    if (paidBillId !== null && paidWith === couponId) {
      await tx.coupons.markPaid(couponId, paidBillId, now);
    } else if (
      paidBillId !== null ||
      (await tx.bills.openAttemptsWithCoupon(order.appId, order.mode, order.billNo, couponId)) === 0
    ) {
      if (await tx.coupons.release(couponId, now)) released.push(couponId);
    }
  }
  return released;
}
