/**
 * Coupon templates and coupons (`coupon_templates`, `coupons`). Counters and states change by conditional updates
 * that answer whether they happened: a template's deliveries never pass its total_count, a coupon is taken by one
 * order at a time. Lock order, with the bills store's: the order row, then the coupon, then the template.
 */
import type { Selectable } from 'kysely';
import type { Coupon, CouponTemplate, TemplateStatus } from '../coupons/coupon.ts';
import { engineOf } from './dialect.ts';
import type { Paging, RecordScope } from './record-filter.ts';
import type { CouponTable, CouponTemplateTable, GatewayTx } from './tables.ts';

export type NewCouponTemplate = Omit<CouponTemplate, 'deliverCount' | 'useCount' | 'updatedAt'>;

export interface TemplateListFilter {
  name?: string;
  status?: TemplateStatus;
  createdAfter?: number;
  createdBefore?: number;
}

export interface CouponListFilter {
  userId?: string;
  templateId?: string;
  /** unused / used as stored (expiry is a matter of time, filtered by the caller's `validAt`). */
  status?: 'unused' | 'used';
  /** Only coupons valid at this time (start ≤ t ≤ end). */
  validAt?: number;
  /** Only coupons whose end is before this time. */
  expiredAt?: number;
  createdAfter?: number;
  createdBefore?: number;
}

function templateFromRow(row: Selectable<CouponTemplateTable>): CouponTemplate {
  return {
    id: row.id,
    appId: row.app_id,
    mode: row.mode,
    name: row.name,
    kind: row.type === 1 ? 'percentage' : 'fixed',
    limitFee: Number(row.limit_fee),
    discountFee: Number(row.discount_fee),
    ratePermille: row.rate_permille,
    totalCount: row.total_count,
    maxCountPerUser: row.max_count_per_user,
    deliverCount: row.deliver_count,
    useCount: row.use_count,
    expiryType: row.expiry_type === 2 ? 2 : 1,
    startTime: row.start_time === null ? null : Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    deliveryValidDays: row.delivery_valid_days,
    status: row.status as TemplateStatus,
    mchAccount: row.mch_account,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

function couponFromRow(row: Selectable<CouponTable>, template: CouponTemplate): Coupon {
  return {
    id: row.id,
    appId: row.app_id,
    mode: row.mode,
    templateId: row.template_id,
    userId: row.user_id,
    status: row.status === 1 ? 'used' : 'unused',
    startTime: row.start_time === null ? null : Number(row.start_time),
    endTime: row.end_time === null ? null : Number(row.end_time),
    orderBillNo: row.order_bill_no,
    paidBillId: row.paid_bill_id,
    useTime: row.use_time === null ? null : Number(row.use_time),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    template,
  };
}

export class CouponStore {
  constructor(private readonly db: GatewayTx) {}

  private get rowLocks(): boolean {
    return engineOf(this.db) === 'postgres';
  }

  async insertTemplate(template: NewCouponTemplate): Promise<CouponTemplate> {
    await this.db
      .insertInto('coupon_templates')
      .values({
        id: template.id,
        app_id: template.appId,
        mode: template.mode,
        name: template.name,
        type: template.kind === 'percentage' ? 1 : 0,
        limit_fee: template.limitFee,
        discount_fee: template.discountFee,
        rate_permille: template.ratePermille,
        total_count: template.totalCount,
        max_count_per_user: template.maxCountPerUser,
        deliver_count: 0,
        use_count: 0,
        expiry_type: template.expiryType,
        start_time: template.startTime,
        end_time: template.endTime,
        delivery_valid_days: template.deliveryValidDays,
        status: template.status,
        mch_account: template.mchAccount,
        created_at: template.createdAt,
        updated_at: template.createdAt,
      })
      .execute();
    const stored = await this.findTemplate(template.id);
    if (stored === undefined) throw new Error(`template ${template.id} vanished after its insert`);
    return stored;
  }

  async findTemplate(id: string): Promise<CouponTemplate | undefined> {
    const row = await this.db
      .selectFrom('coupon_templates')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row === undefined ? undefined : templateFromRow(row);
  }

  /** Moves a template's status forward (0 → 1 → -1, 0 → -1); false when it was not in one of `from`. */
  async advanceTemplateStatus(
    id: string,
    to: TemplateStatus,
    from: TemplateStatus[],
    now: number,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('coupon_templates')
      .set({ status: to, updated_at: now })
      .where('id', '=', id)
      .where('status', 'in', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async listTemplates(
    scope: RecordScope,
    filter: TemplateListFilter,
    paging: Paging,
  ): Promise<CouponTemplate[]> {
    const rows = await this.filteredTemplates(scope, filter)
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(paging.limit)
      .offset(paging.skip)
      .execute();
    return rows.map(templateFromRow);
  }

  async countTemplates(scope: RecordScope, filter: TemplateListFilter): Promise<number> {
    const row = await this.filteredTemplates(scope, filter)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  private filteredTemplates(scope: RecordScope, filter: TemplateListFilter) {
    return this.db
      .selectFrom('coupon_templates')
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .$if(filter.name !== undefined, (q) => q.where('name', '=', filter.name ?? ''))
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status ?? 0))
      .$if(filter.createdAfter !== undefined, (q) => q.where('created_at', '>=', filter.createdAfter ?? 0))
      .$if(filter.createdBefore !== undefined, (q) => q.where('created_at', '<=', filter.createdBefore ?? 0));
  }

  /**
   * Counts one more delivery of an active template, unless its total_count is reached: false then (or when it is
   * not active). On PostgreSQL the template row stays locked until the transaction ends, so the per-user count
   * that follows sees every other delivery of the template.
   */
  async takeDelivery(templateId: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('coupon_templates')
      .set((eb) => ({ deliver_count: eb('deliver_count', '+', 1), updated_at: now }))
      .where('id', '=', templateId)
      .where('status', '=', 1)
      .where((eb) => eb.or([eb('total_count', '=', 0), eb('deliver_count', '<', eb.ref('total_count'))]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async countUserCoupons(templateId: string, userId: string): Promise<number> {
    const row = await this.db
      .selectFrom('coupons')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('template_id', '=', templateId)
      .where('user_id', '=', userId)
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async insertCoupon(
    coupon: Omit<Coupon, 'template' | 'status' | 'orderBillNo' | 'paidBillId' | 'useTime' | 'updatedAt'>,
  ): Promise<void> {
    await this.db
      .insertInto('coupons')
      .values({
        id: coupon.id,
        app_id: coupon.appId,
        mode: coupon.mode,
        template_id: coupon.templateId,
        user_id: coupon.userId,
        status: 0,
        start_time: coupon.startTime,
        end_time: coupon.endTime,
        order_bill_no: null,
        paid_bill_id: null,
        use_time: null,
        created_at: coupon.createdAt,
        updated_at: coupon.createdAt,
      })
      .execute();
  }

  async findCoupon(id: string): Promise<Coupon | undefined> {
    return this.readCoupon(id, false);
  }

  /** The coupon, locked until the transaction ends (after the order it is used for). */
  async lockCoupon(id: string): Promise<Coupon | undefined> {
    return this.readCoupon(id, true);
  }

  private async readCoupon(id: string, lock: boolean): Promise<Coupon | undefined> {
    const row = await this.db
      .selectFrom('coupons')
      .selectAll()
      .where('id', '=', id)
      .$if(lock && this.rowLocks, (q) => q.forUpdate())
      .executeTakeFirst();
    if (row === undefined) return undefined;
    const template = await this.findTemplate(row.template_id);
    if (template === undefined) throw new Error(`coupon ${id} has no template`);
    return couponFromRow(row, template);
  }

  async listCoupons(scope: RecordScope, filter: CouponListFilter, paging: Paging): Promise<Coupon[]> {
    const rows = await this.filteredCoupons(scope, filter)
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .limit(paging.limit)
      .offset(paging.skip)
      .execute();
    const templates = new Map<string, CouponTemplate>();
    const coupons: Coupon[] = [];
    for (const row of rows) {
      let template = templates.get(row.template_id);
      if (template === undefined) {
        template = await this.findTemplate(row.template_id);
        if (template === undefined) throw new Error(`coupon ${row.id} has no template`);
        templates.set(template.id, template);
      }
      coupons.push(couponFromRow(row, template));
    }
    return coupons;
  }

  async countCoupons(scope: RecordScope, filter: CouponListFilter): Promise<number> {
    const row = await this.filteredCoupons(scope, filter)
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  private filteredCoupons(scope: RecordScope, filter: CouponListFilter) {
    const validAt = filter.validAt;
    return this.db
      .selectFrom('coupons')
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .$if(filter.userId !== undefined, (q) => q.where('user_id', '=', filter.userId ?? ''))
      .$if(filter.templateId !== undefined, (q) => q.where('template_id', '=', filter.templateId ?? ''))
      .$if(filter.status !== undefined, (q) => q.where('status', '=', filter.status === 'used' ? 1 : 0))
      .$if(validAt !== undefined, (q) =>
        q.where((eb) =>
          eb.and([
            eb.or([eb('start_time', 'is', null), eb('start_time', '<=', validAt ?? 0)]),
            eb.or([eb('end_time', 'is', null), eb('end_time', '>=', validAt ?? 0)]),
          ]),
        ),
      )
      .$if(filter.expiredAt !== undefined, (q) => q.where('end_time', '<', filter.expiredAt ?? 0))
      .$if(filter.createdAfter !== undefined, (q) => q.where('created_at', '>=', filter.createdAfter ?? 0))
      .$if(filter.createdBefore !== undefined, (q) => q.where('created_at', '<=', filter.createdBefore ?? 0));
  }

  /**
   * unused → used by the order `billNo` (the template's use_count follows); false when another order took it
   * first. A coupon the order already holds stays held (true, nothing changes).
   */
  async holdForOrder(coupon: Coupon, billNo: string, now: number): Promise<boolean> {
    if (coupon.status === 'used') return coupon.orderBillNo === billNo && coupon.paidBillId === null;
    const result = await this.db
      .updateTable('coupons')
      .set({ status: 1, order_bill_no: billNo, use_time: now, updated_at: now })
      .where('id', '=', coupon.id)
      .where('status', '=', 0)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await this.db
      .updateTable('coupon_templates')
      .set((eb) => ({ use_count: eb('use_count', '+', 1), updated_at: now }))
      .where('id', '=', coupon.templateId)
      .execute();
    return true;
  }

  /** The coupons an order holds and has not paid with yet. */
  async heldByOrder(scope: RecordScope, billNo: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('coupons')
      .select('id')
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('order_bill_no', '=', billNo)
      .where('status', '=', 1)
      .where('paid_bill_id', 'is', null)
      .execute();
    return rows.map((row) => row.id);
  }

  /** The order paid with it: the coupon is used for good. */
  async markPaid(id: string, billId: string, now: number): Promise<void> {
    await this.db
      .updateTable('coupons')
      .set({ paid_bill_id: billId, use_time: now, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 1)
      .where('paid_bill_id', 'is', null)
      .execute();
  }

  /** The order that held it will not pay with it: back to unused (the template's use_count follows). */
  async release(id: string, now: number): Promise<boolean> {
    const coupon = await this.findCoupon(id);
    if (coupon === undefined) return false;
    const result = await this.db
      .updateTable('coupons')
      .set({ status: 0, order_bill_no: null, use_time: null, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 1)
      .where('paid_bill_id', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) return false;
    await this.db
      .updateTable('coupon_templates')
      .set((eb) => ({ use_count: eb('use_count', '-', 1), updated_at: now }))
      .where('id', '=', coupon.templateId)
      .execute();
    return true;
  }
}
