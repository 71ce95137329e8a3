/**
 * The merchant's REST client for the gateway (reference §4): one method per endpoint, each resolving to a
 * `SpayResult` — `ok: true` with the answer's fields, or `ok: false` with result_code / result_msg / err_detail
 * (network failures and timeouts are result_code 15, NETWORK_ERROR). `client.orThrow` has the same methods
 * returning the success or throwing a `SpayError`.
 */
import type { SpayApp } from './app.ts';
import { SpayError, type SpayResult, type Success } from './result.ts';
import type {
  BatchTransferAnswer,
  BatchTransferRequest,
  CardTransferRequest,
  TransferAnswer,
  TransferListQuery,
  TransferQuery,
  TransferRecord,
  TransferRequest,
  BillListQuery,
  BillQuery,
  BillRecord,
  InternationalPayAnswer,
  InternationalPayRequest,
  OfflinePayAnswer,
  OfflinePayRequest,
  OfflineRefundAnswer,
  OfflineRefundRequest,
  OfflineRevertAnswer,
  OfflineStatusAnswer,
  OfflineStatusRequest,
  ChannelFilter,
  PayAnswer,
  PayRequest,
  RefundAnswer,
  RefundApprovalAnswer,
  RefundApprovalRequest,
  RefundListQuery,
  RefundQuery,
  RefundRecord,
  RefundRequest,
  RefundStatusRequest,
} from './rest-types.ts';
import type {
  CouponQuery,
  CouponRecord,
  CouponTemplateQuery,
  CouponTemplateRequest,
  MerchantUserRecord,
  TemplateRecord,
  TemplateStatusCode,
  UserQuery,
} from './coupon-types.ts';
import { sendRestRequest, type RestRequest, type TransportOptions } from './rest-transport.ts';
import type {
  CardAuthAnswer,
  CardAuthRequest,
  PlanQuery,
  PlanRecord,
  PlanRequest,
  SubscribeRequest,
  SubscriptionChargeRecord,
  SubscriptionQuery,
  SubscriptionRecord,
  SubscriptionUpdate,
} from './subscription-types.ts';

export type ClientOptions = TransportOptions;

export class SpayClient {
  /** The same methods, returning the success or throwing a `SpayError`. */
  readonly orThrow: ThrowingClient;
  /** The sandbox paths (`/2/rest/sandbox/*`), signed with the test secret. */
  readonly sandbox: SandboxClient;

  constructor(
    readonly app: SpayApp,
    private readonly options: ClientOptions = {},
  ) {
    this.sandbox = new SandboxClient(this);
    this.orThrow = throwingVariant(this);
  }

  /** @internal */
  send<T>(request: RestRequest): Promise<SpayResult<T>> {
    return sendRestRequest<T>(this.app, request, this.options);
  }

  /** `POST /2/rest/bill`: creates a bill on a channel. */
  pay(request: PayRequest): Promise<SpayResult<PayAnswer>> {
    return this.send({ method: 'POST', path: 'rest/bill', purpose: 'pay', payload: { ...request } });
  }

  /** `POST /2/rest/refund`: refunds (part of) a paid bill; `need_approval: true` makes a pre-refund. */
  refund(request: RefundRequest): Promise<SpayResult<RefundAnswer>> {
    return this.send({ method: 'POST', path: 'rest/refund', purpose: 'refund', payload: { ...request } });
  }

  /** `PUT /2/rest/refund`: agrees to (refunds) or denies pre-refunds. */
  approveRefunds(request: RefundApprovalRequest): Promise<SpayResult<RefundApprovalAnswer>> {
    return this.send({ method: 'PUT', path: 'rest/refund', purpose: 'refund', payload: { ...request } });
  }

  /** `GET /2/rest/bills`. */
  bills(
    query: BillListQuery = {},
  ): Promise<SpayResult<{ bills: BillRecord[]; count?: number; next_cursor?: string }>> {
    return this.send({ method: 'GET', path: 'rest/bills', purpose: 'query', payload: { ...query } });
  }

  /** `GET /2/rest/bills/count`. */
  billsCount(query: BillQuery = {}): Promise<SpayResult<{ count: number }>> {
    return this.send({ method: 'GET', path: 'rest/bills/count', purpose: 'query', payload: { ...query } });
  }

  /** `GET /2/rest/bill/{id}`. */
  billById(id: string): Promise<SpayResult<{ pay: BillRecord }>> {
    return this.send({ method: 'GET', path: `rest/bill/${encodeURIComponent(id)}`, purpose: 'query' });
  }

  /** `GET /2/rest/refunds`. */
  refunds(query: RefundListQuery = {}): Promise<SpayResult<{ refunds: RefundRecord[]; count?: number }>> {
    return this.send({ method: 'GET', path: 'rest/refunds', purpose: 'query', payload: { ...query } });
  }

  /** `GET /2/rest/refunds/count`. */
  refundsCount(query: RefundQuery = {}): Promise<SpayResult<{ count: number }>> {
    return this.send({ method: 'GET', path: 'rest/refunds/count', purpose: 'query', payload: { ...query } });
  }

  /** `GET /2/rest/refund/{id}`. */
  refundById(id: string): Promise<SpayResult<{ refund: RefundRecord }>> {
    return this.send({ method: 'GET', path: `rest/refund/${encodeURIComponent(id)}`, purpose: 'query' });
  }

  /** `GET /2/rest/refund/status`: a refund's current status by channel and refund_no. */
  refundStatus(request: RefundStatusRequest): Promise<SpayResult<{ refund_status: string }>> {
    return this.send({
      method: 'GET',
      path: 'rest/refund/status',
      purpose: 'query',
      payload: { ...request },
    });
  }

  /** `POST /2/rest/transfer`: a WeChat red packet or transfer, or an Alipay transfer (open `url` to confirm it). */
  transfer(request: TransferRequest): Promise<SpayResult<TransferAnswer>> {
    return this.send({ method: 'POST', path: 'rest/transfer', purpose: 'transfer', payload: { ...request } });
  }

  /** `POST /2/rest/bc_transfer`: a transfer to a bank card; its result comes by a TRANSFER webhook. */
  cardTransfer(request: CardTransferRequest): Promise<SpayResult<TransferAnswer>> {
    return this.send({
      method: 'POST',
      path: 'rest/bc_transfer',
      purpose: 'transfer',
      payload: { ...request },
    });
  }

  /** `POST /2/rest/transfers`: an Alipay batch (open `url` to confirm it). */
  batchTransfer(request: BatchTransferRequest): Promise<SpayResult<BatchTransferAnswer>> {
    return this.send({
      method: 'POST',
      path: 'rest/transfers',
      purpose: 'transfer',
      payload: { ...request },
    });
  }

  /** `GET /2/rest/transfers` (the records come in `bills`, as BeeCloud named them). */
  transfers(query: TransferListQuery = {}): Promise<SpayResult<{ bills: TransferRecord[]; count: number }>> {
    return this.send({ method: 'GET', path: 'rest/transfers', purpose: 'query', payload: { ...query } });
  }

  /** `GET /2/rest/transfers/count`. */
  transfersCount(query: TransferQuery = {}): Promise<SpayResult<{ count: number }>> {
    return this.send({
      method: 'GET',
      path: 'rest/transfers/count',
      purpose: 'query',
      payload: { ...query },
    });
  }

  /** `POST /2/rest/offline/bill`: a payment code scanned by the till (WX_SCAN, ALI_SCAN) or a QR code for its screen. */
  offlinePay(request: OfflinePayRequest): Promise<SpayResult<OfflinePayAnswer>> {
    return this.send({ method: 'POST', path: 'rest/offline/bill', purpose: 'pay', payload: { ...request } });
  }

  /** `POST /2/rest/offline/bill/status`: whether an offline bill is paid (asks its channel when it is open). */
  offlineBillStatus(request: OfflineStatusRequest): Promise<SpayResult<OfflineStatusAnswer>> {
    return this.send({
      method: 'POST',
      path: 'rest/offline/bill/status',
      purpose: 'query',
      payload: { ...request },
    });
  }

  /** `POST /2/rest/offline/bill/{bill_no}` with `method: REVERT`: cancels an offline bill not paid. */
  offlineRevert(billNo: string, channel?: ChannelFilter): Promise<SpayResult<OfflineRevertAnswer>> {
    return this.send({
      method: 'POST',
      path: `rest/offline/bill/${encodeURIComponent(billNo)}`,
      purpose: 'pay',
      payload: channel === undefined ? { method: 'REVERT' } : { method: 'REVERT', channel },
    });
  }

  /** `POST /2/rest/offline/refund` (master secret). */
  offlineRefund(request: OfflineRefundRequest): Promise<SpayResult<OfflineRefundAnswer>> {
    return this.send({
      method: 'POST',
      path: 'rest/offline/refund',
      purpose: 'refund',
      payload: { ...request },
    });
  }

  /** `POST /2/rest/international/bill`: PayPal (approval page, card, saved card). */
  internationalPay(request: InternationalPayRequest): Promise<SpayResult<InternationalPayAnswer>> {
    return this.send({
      method: 'POST',
      path: 'rest/international/bill',
      purpose: 'pay',
      payload: { ...request },
    });
  }

  /** `GET /2/rest/bc_transfer/banks`: the banks of bank-card transfers for an account type. */
  transferBanks(type: 'P_DE' | 'P_CR' | 'C'): Promise<SpayResult<{ size: number; bank_list: string[] }>> {
    return this.send({ method: 'GET', path: 'rest/bc_transfer/banks', purpose: 'query', payload: { type } });
  }

  /** `POST /2/plan`: a subscription plan. */
  createPlan(request: PlanRequest): Promise<SpayResult<{ plan: PlanRecord }>> {
    return this.send({ method: 'POST', path: 'plan', purpose: 'query', payload: { ...request } });
  }

  /** `PUT /2/plan/{id}`: a new name or optional (fee and calendar never change). */
  updatePlan(
    id: string,
    change: { name?: string; optional?: PlanRequest['optional'] },
  ): Promise<SpayResult<{ id: string }>> {
    return this.send({
      method: 'PUT',
      path: `plan/${encodeURIComponent(id)}`,
      purpose: 'query',
      payload: { ...change },
    });
  }

  /** `DELETE /2/plan/{id}`: nobody can subscribe to it any more; subscriptions go on. */
  deletePlan(id: string): Promise<SpayResult<{ id: string }>> {
    return this.send({ method: 'DELETE', path: `plan/${encodeURIComponent(id)}`, purpose: 'query' });
  }

  /** `GET /2/plan/{id}`. */
  plan(id: string): Promise<SpayResult<{ plan: PlanRecord }>> {
    return this.send({ method: 'GET', path: `plan/${encodeURIComponent(id)}`, purpose: 'query' });
  }

  /** `GET /2/plan` by criteria. */
  plans(query: PlanQuery = {}): Promise<SpayResult<{ plans: PlanRecord[]; count: number }>> {
    return this.send({ method: 'GET', path: 'plan', purpose: 'query', payload: { ...query } });
  }

  /** `GET /2/plan?count_only=true`. */
  plansCount(query: PlanQuery = {}): Promise<SpayResult<{ total_count: number }>> {
    return this.send({
      method: 'GET',
      path: 'plan',
      purpose: 'query',
      payload: { ...query, count_only: true },
    });
  }

  /** `GET /2/subscription_banks`: the banks subscriptions debit (`common_banks` among them). */
  subscriptionBanks(): Promise<SpayResult<{ banks: string[]; common_banks: string[] }>> {
    return this.send({ method: 'GET', path: 'subscription_banks', purpose: 'query' });
  }

  /** `POST /2/sms`: a passcode to the card's mobile (the sandbox's is always 123456). */
  sendSmsPasscode(phone: string): Promise<SpayResult<{ sms_id: string }>> {
    return this.send({ method: 'POST', path: 'sms', purpose: 'query', payload: { phone } });
  }

  /** `POST /2/subscription`: valid at once for a confirmed card_id, else pending until the SUBSCRIPTION webhook. */
  subscribe(request: SubscribeRequest): Promise<SpayResult<{ subscription: SubscriptionRecord }>> {
    return this.send({ method: 'POST', path: 'subscription', purpose: 'query', payload: { ...request } });
  }

  /** `PUT /2/subscription/{id}`: a new amount (from the next charge), optional, or trial_end before the first charge. */
  updateSubscription(id: string, change: SubscriptionUpdate): Promise<SpayResult<{ id: string }>> {
    return this.send({
      method: 'PUT',
      path: `subscription/${encodeURIComponent(id)}`,
      purpose: 'query',
      payload: { ...change },
    });
  }

  /** `DELETE /2/subscription/{id}`: now, or at the end of the current period. */
  cancelSubscription(
    id: string,
    options: { atPeriodEnd?: boolean } = {},
  ): Promise<SpayResult<{ id: string }>> {
    return this.send({
      method: 'DELETE',
      path: `subscription/${encodeURIComponent(id)}`,
      purpose: 'query',
      payload: options.atPeriodEnd ? { at_period_end: true } : {},
    });
  }

  /** `GET /2/subscription/{id}`. */
  subscription(id: string): Promise<SpayResult<{ subscription: SubscriptionRecord }>> {
    return this.send({ method: 'GET', path: `subscription/${encodeURIComponent(id)}`, purpose: 'query' });
  }

  /** `GET /2/subscription` by criteria. */
  subscriptions(
    query: SubscriptionQuery = {},
  ): Promise<SpayResult<{ subscriptions: SubscriptionRecord[]; count: number }>> {
    return this.send({ method: 'GET', path: 'subscription', purpose: 'query', payload: { ...query } });
  }

  /** `GET /2/subscription?count_only=true`. */
  subscriptionsCount(query: SubscriptionQuery = {}): Promise<SpayResult<{ total_count: number }>> {
    return this.send({
      method: 'GET',
      path: 'subscription',
      purpose: 'query',
      payload: { ...query, count_only: true },
    });
  }

  /** `GET /2/subscription/{id}/charges` (spay): the subscription's charges, first period first. */
  subscriptionCharges(id: string): Promise<SpayResult<{ charges: SubscriptionChargeRecord[] }>> {
    return this.send({
      method: 'GET',
      path: `subscription/${encodeURIComponent(id)}/charges`,
      purpose: 'query',
    });
  }

  /** `POST /2/auth`: two-, three- or four-factor check (name + id_no [+ card_no [+ mobile]]). */
  verifyCardFactors(request: CardAuthRequest): Promise<SpayResult<CardAuthAnswer>> {
    return this.send({ method: 'POST', path: 'auth', purpose: 'query', payload: { ...request } });
  }

  /** `POST /2/rest/user`: registers one user (buyer_id) of the merchant. */
  addUser(buyerId: string): Promise<SpayResult<{ created_count: number }>> {
    return this.send({ method: 'POST', path: 'rest/user', purpose: 'pay', payload: { buyer_id: buyerId } });
  }

  /** `POST /2/rest/users`: registers users under a merchant account (BeeCloud's `email`), all or none. */
  addUsers(merchant: string, buyerIds: string[]): Promise<SpayResult<{ created_count: number }>> {
    return this.send({
      method: 'POST',
      path: 'rest/users',
      purpose: 'pay',
      payload: { email: merchant, buyer_ids: buyerIds },
    });
  }

  /** `GET /2/rest/users`: by merchant account and registration time. */
  users(query: UserQuery = {}): Promise<SpayResult<{ users: MerchantUserRecord[] }>> {
    return this.send({ method: 'GET', path: 'rest/users', purpose: 'query', payload: { ...query } });
  }

  /** `PUT /2/rest/history_bills`: `{buyer_id: [bill_no…]}` → the bills that could not be attached, same shape. */
  attachHistoryBills(
    billInfo: Record<string, string[]>,
  ): Promise<SpayResult<{ failed_bills: Record<string, string[]> }>> {
    return this.send({
      method: 'PUT',
      path: 'rest/history_bills',
      purpose: 'query',
      payload: { bill_info: billInfo },
    });
  }

  /** `POST /2/rest/coupon/template` (master secret). */
  createCouponTemplate(
    request: CouponTemplateRequest,
  ): Promise<SpayResult<{ id: string; coupon_template: TemplateRecord }>> {
    return this.send({
      method: 'POST',
      path: 'rest/coupon/template',
      purpose: 'admin',
      payload: { ...request },
    });
  }

  /** `PUT /2/rest/coupon/template/{id}`: moves its status forward (0 → 1 → -1; master secret). */
  setCouponTemplateStatus(
    id: string,
    status: TemplateStatusCode,
  ): Promise<SpayResult<{ id: string; coupon_template: TemplateRecord }>> {
    return this.send({
      method: 'PUT',
      path: `rest/coupon/template/${encodeURIComponent(id)}`,
      purpose: 'admin',
      payload: { status },
    });
  }

  /** `GET /2/rest/coupon/template/{id}`. */
  couponTemplate(id: string): Promise<SpayResult<{ coupon_template: TemplateRecord }>> {
    return this.send({
      method: 'GET',
      path: `rest/coupon/template/${encodeURIComponent(id)}`,
      purpose: 'query',
    });
  }

  /** `GET /2/rest/coupon/template`: by criteria. */
  couponTemplates(
    query: CouponTemplateQuery = {},
  ): Promise<SpayResult<{ coupon_templates: TemplateRecord[] }>> {
    return this.send({
      method: 'GET',
      path: 'rest/coupon/template',
      purpose: 'query',
      payload: { ...query },
    });
  }

  /** `POST /2/rest/coupon`: issues a coupon of the template to a registered user. */
  issueCoupon(templateId: string, userId: string): Promise<SpayResult<{ id: string; coupon: CouponRecord }>> {
    return this.send({
      method: 'POST',
      path: 'rest/coupon',
      purpose: 'pay',
      payload: { template_id: templateId, user_id: userId },
    });
  }

  /** `GET /2/rest/coupon/{id}`. */
  coupon(id: string): Promise<SpayResult<{ coupon: CouponRecord }>> {
    return this.send({ method: 'GET', path: `rest/coupon/${encodeURIComponent(id)}`, purpose: 'query' });
  }

  /** `GET /2/rest/coupon`: by criteria. */
  coupons(query: CouponQuery = {}): Promise<SpayResult<{ coupons: CouponRecord[] }>> {
    return this.send({ method: 'GET', path: 'rest/coupon', purpose: 'query', payload: { ...query } });
  }

  /** `GET /2/rest/coupon` with count_only. */
  couponsCount(query: CouponQuery = {}): Promise<SpayResult<{ total_count: number }>> {
    return this.send({
      method: 'GET',
      path: 'rest/coupon',
      purpose: 'query',
      payload: { ...query, count_only: true },
    });
  }
}

export class SandboxClient {
  constructor(private readonly client: SpayClient) {}

  /** `POST /2/rest/sandbox/bill`: creates a sandbox bill. */
  pay(request: PayRequest): Promise<SpayResult<PayAnswer>> {
    return this.client.send({
      method: 'POST',
      path: 'rest/sandbox/bill',
      purpose: 'sandbox',
      payload: { ...request },
    });
  }

  /** `GET /2/rest/sandbox/bills`. */
  bills(
    query: BillListQuery = {},
  ): Promise<SpayResult<{ bills: BillRecord[]; count?: number; next_cursor?: string }>> {
    return this.client.send({
      method: 'GET',
      path: 'rest/sandbox/bills',
      purpose: 'sandbox',
      payload: { ...query },
    });
  }

  /** `GET /2/rest/sandbox/bills/count`. */
  billsCount(query: BillQuery = {}): Promise<SpayResult<{ count: number }>> {
    return this.client.send({
      method: 'GET',
      path: 'rest/sandbox/bills/count',
      purpose: 'sandbox',
      payload: { ...query },
    });
  }

  /** `GET /2/rest/sandbox/notify/{appId}/{billId}`: the sandbox pays the bill, as a channel's notify would. */
  notify(billId: string): Promise<SpayResult<{ id: string; outcome?: string; pay?: BillRecord }>> {
    const app = encodeURIComponent(this.client.app.appId);
    return this.client.send({
      method: 'GET',
      path: `rest/sandbox/notify/${app}/${encodeURIComponent(billId)}`,
      purpose: 'sandbox',
    });
  }
}

type Unwrapped<F> = F extends (...args: infer A) => Promise<SpayResult<infer T>>
  ? (...args: A) => Promise<Success<T>>
  : never;

export type ThrowingClient = {
  [
    K in
      | 'pay'
      | 'refund'
      | 'approveRefunds'
      | 'bills'
      | 'billsCount'
      | 'billById'
      | 'refunds'
      | 'refundsCount'
      | 'refundById'
      | 'refundStatus'
      | 'transfer'
      | 'cardTransfer'
      | 'batchTransfer'
      | 'transfers'
      | 'transfersCount'
      | 'transferBanks'
      | 'offlinePay'
      | 'offlineBillStatus'
      | 'offlineRevert'
      | 'offlineRefund'
      | 'internationalPay'
      | 'addUser'
      | 'addUsers'
      | 'users'
      | 'attachHistoryBills'
      | 'createCouponTemplate'
      | 'setCouponTemplateStatus'
      | 'couponTemplate'
      | 'couponTemplates'
      | 'issueCoupon'
      | 'coupon'
      | 'coupons'
      | 'couponsCount'
      | 'createPlan'
      | 'updatePlan'
      | 'deletePlan'
      | 'plan'
      | 'plans'
      | 'plansCount'
      | 'subscriptionBanks'
      | 'sendSmsPasscode'
      | 'subscribe'
      | 'updateSubscription'
      | 'cancelSubscription'
      | 'subscription'
      | 'subscriptions'
      | 'subscriptionsCount'
      | 'subscriptionCharges'
      | 'verifyCardFactors'
  ]: Unwrapped<SpayClient[K]>;
} & {
  sandbox: { [K in 'pay' | 'bills' | 'billsCount' | 'notify']: Unwrapped<SandboxClient[K]> };
};

/** Returns the success or throws a `SpayError` naming the result code and detail. */
export async function unwrap<T>(result: Promise<SpayResult<T>> | SpayResult<T>): Promise<Success<T>> {
  const settled = await result;
  if (!settled.ok) throw new SpayError(settled);
  return settled;
}

function throwingVariant(client: SpayClient): ThrowingClient {
  const sandbox = client.sandbox;
  return {
    pay: (request) => unwrap(client.pay(request)),
    refund: (request) => unwrap(client.refund(request)),
    approveRefunds: (request) => unwrap(client.approveRefunds(request)),
    bills: (query) => unwrap(client.bills(query)),
    billsCount: (query) => unwrap(client.billsCount(query)),
    billById: (id) => unwrap(client.billById(id)),
    refunds: (query) => unwrap(client.refunds(query)),
    refundsCount: (query) => unwrap(client.refundsCount(query)),
    refundById: (id) => unwrap(client.refundById(id)),
    refundStatus: (request) => unwrap(client.refundStatus(request)),
    transfer: (request) => unwrap(client.transfer(request)),
    cardTransfer: (request) => unwrap(client.cardTransfer(request)),
    batchTransfer: (request) => unwrap(client.batchTransfer(request)),
    transfers: (query) => unwrap(client.transfers(query)),
    transfersCount: (query) => unwrap(client.transfersCount(query)),
    transferBanks: (type) => unwrap(client.transferBanks(type)),
    offlinePay: (request) => unwrap(client.offlinePay(request)),
    offlineBillStatus: (request) => unwrap(client.offlineBillStatus(request)),
    offlineRevert: (billNo, channel) => unwrap(client.offlineRevert(billNo, channel)),
    offlineRefund: (request) => unwrap(client.offlineRefund(request)),
    internationalPay: (request) => unwrap(client.internationalPay(request)),
    addUser: (buyerId) => unwrap(client.addUser(buyerId)),
    addUsers: (merchant, buyerIds) => unwrap(client.addUsers(merchant, buyerIds)),
    users: (query) => unwrap(client.users(query)),
    attachHistoryBills: (billInfo) => unwrap(client.attachHistoryBills(billInfo)),
    createCouponTemplate: (request) => unwrap(client.createCouponTemplate(request)),
    setCouponTemplateStatus: (id, status) => unwrap(client.setCouponTemplateStatus(id, status)),
    couponTemplate: (id) => unwrap(client.couponTemplate(id)),
    couponTemplates: (query) => unwrap(client.couponTemplates(query)),
    issueCoupon: (templateId, userId) => unwrap(client.issueCoupon(templateId, userId)),
    coupon: (id) => unwrap(client.coupon(id)),
    coupons: (query) => unwrap(client.coupons(query)),
    couponsCount: (query) => unwrap(client.couponsCount(query)),
    createPlan: (request) => unwrap(client.createPlan(request)),
    updatePlan: (id, change) => unwrap(client.updatePlan(id, change)),
    deletePlan: (id) => unwrap(client.deletePlan(id)),
    plan: (id) => unwrap(client.plan(id)),
    plans: (query) => unwrap(client.plans(query)),
    plansCount: (query) => unwrap(client.plansCount(query)),
    subscriptionBanks: () => unwrap(client.subscriptionBanks()),
    sendSmsPasscode: (phone) => unwrap(client.sendSmsPasscode(phone)),
    subscribe: (request) => unwrap(client.subscribe(request)),
    updateSubscription: (id, change) => unwrap(client.updateSubscription(id, change)),
    cancelSubscription: (id, options) => unwrap(client.cancelSubscription(id, options)),
    subscription: (id) => unwrap(client.subscription(id)),
    subscriptions: (query) => unwrap(client.subscriptions(query)),
    subscriptionsCount: (query) => unwrap(client.subscriptionsCount(query)),
    subscriptionCharges: (id) => unwrap(client.subscriptionCharges(id)),
    verifyCardFactors: (request) => unwrap(client.verifyCardFactors(request)),
    sandbox: {
      pay: (request) => unwrap(sandbox.pay(request)),
      bills: (query) => unwrap(sandbox.bills(query)),
      billsCount: (query) => unwrap(sandbox.billsCount(query)),
      notify: (billId) => unwrap(sandbox.notify(billId)),
    },
  };
}
