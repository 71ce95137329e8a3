/**
 * The gateway's tables as Kysely sees them. Domain code only talks to the database through these types and
 * Kysely's query builder (portable SQL), so a PostgreSQL store can replace SQLite without touching it.
 * Booleans are stored as 0/1 integers, times as milliseconds since the epoch, maps as JSON text.
 */
import type { Generated, Kysely, Transaction } from 'kysely';
import type { RefundStatus } from '../../sdk/rest-types.ts';

export interface AppTable {
  app_id: string;
  name: string;
  app_secret: string;
  master_secret: string;
  test_secret: string;
  webhook_secret: string;
  mode: 'test' | 'live';
  webhook_url: string;
  live_webhook_url: string;
  /** JSON array of the button's channel codes in menu order, e.g. ["ali","wxmp","wx","un"]. */
  channels: string;
  /** JSON object: per-channel settings (credentials for live adapters, labels, …). */
  channel_settings: string;
  /** 'legacy_allowed' | 'v2_required': whether the button's legacy md5 order sign is still accepted. */
  button_sign: Generated<string>;
  /** 'legacy_allowed' | 'v2_required': whether REST requests may still be signed with the legacy app_sign only. */
  request_sign: Generated<string>;
  /** JSON array of the shop's origins (scheme://host[:port]); [] = none registered. */
  allowed_origins: Generated<string>;
  /** JSON array of previous secrets still accepted during their grace: `[{ kind, value, validUntil }]` (110). */
  retired_secrets: Generated<string>;
  /** JSON `{ "app" | "master" | "test" | "webhook": ms }`: when each secret was last rotated (110). */
  secrets_rotated_at: Generated<string>;
  created_at: number;
  updated_at: number;
}

/**
 * An order of a merchant: one (app, mode, bill_no) with a fixed title and amount, attempted on one or more
 * channels. Test and live orders never share a row, whatever their bill_no.
 */
export interface OrderTable {
  app_id: string;
  mode: 'test' | 'live';
  bill_no: string;
  title: string;
  total_fee: number;
  status: 'open' | 'paid';
  paid_bill_id: string | null;
  create_time: number;
}

/** One payment attempt of an order on one channel: what BeeCloud calls a bill (its `id`). */
export interface BillTable {
  id: string;
  app_id: string;
  bill_no: string;
  mode: 'test' | 'live';
  channel: string;
  sub_channel: string;
  title: string;
  total_fee: number;
  return_url: string | null;
  notify_url: string | null;
  optional: string | null;
  openid: string | null;
  status: 'open' | 'paid' | 'closed' | 'expired';
  spay_result: number;
  trade_no: string | null;
  /** JSON of the channel's notify payload (becomes the webhook's message_detail). */
  channel_detail: string | null;
  create_time: number;
  paid_time: number | null;
  closed_time: number | null;
  expires_at: number | null;
  /** 1 when money arrived for an attempt that was already closed or expired: it must be refunded. */
  refund_required: number;
  /** Bumped at each change; lets readers see that something moved. */
  version: number;
  /**
   * JSON of a verified channel payment whose amount differed from the bill's: recorded for the operator,
   * never booked.
   */
  flagged_notice: string | null;
  /** 1 while a closed live attempt still has to be closed at its channel (retried by reconciliation). */
  channel_close_pending: number;
  /** When reconciliation next asks the channel about this open attempt (ms); null once it is not open. */
  reconcile_at: number | null;
  /** How many times reconciliation asked (it backs off). */
  reconcile_count: number;
}

export interface WebhookOutboxTable {
  id: string;
  app_id: string;
  bill_id: string | null;
  refund_id: string | null;
  transaction_type: 'PAY' | 'REFUND' | 'TRANSFER' | 'SUBSCRIPTION';
  transaction_id: string;
  target_url: string;
  /** The exact JSON body sent at every attempt (its legacy `sign` covers its `timestamp`). */
  body: string;
  status: 'pending' | 'delivered' | 'failed' | 'no_endpoint';
  attempt_count: number;
  next_attempt_at: number;
  created_at: number;
  delivered_at: number | null;
  /** While a dispatcher is sending it: until when (ms) and which one; null otherwise. */
  lease_until: number | null;
  leased_by: string | null;
}

export interface WebhookAttemptTable {
  id: Generated<number>;
  outbox_id: string;
  attempted_at: number;
  http_status: number | null;
  latency_ms: number;
  response_excerpt: string;
  error: string | null;
}

/**
 * A refund's life: `pending_approval` (a pre-refund waiting for PUT /2/rest/refund) → `processing` (sent to the
 * channel) → `succeeded` | `failed`; or `pending_approval` → `denied`. Only forward.
 */
export interface RefundTable {
  id: string;
  app_id: string;
  /** The paid attempt the money is returned from. */
  bill_id: string;
  bill_no: string;
  refund_no: string;
  mode: 'test' | 'live';
  channel: string;
  sub_channel: string;
  title: string;
  total_fee: number;
  refund_fee: number;
  optional: string | null;
  status: RefundStatus;
  need_approval: number;
  deny_reason: string | null;
  /** 1 for the gateway's own refund of a payment that arrived for a closed or expired attempt. */
  late_payment: number;
  channel_refund_no: string | null;
  /** JSON of what the channel answered (the webhook's message_detail); null until it answered. */
  channel_detail: string | null;
  create_time: number;
  update_time: number;
  finish_time: number | null;
}

/** What a REST payment carries that the bill itself does not keep (buyer_id is echoed in bill records). */
export interface BillExtrasTable {
  bill_id: string;
  buyer_id: string | null;
  coupon_id: string | null;
  analysis: string | null;
  /** The order's amount before the coupon (fen); null when no coupon was used (migration 130). */
  bill_fee: Generated<number | null>;
  /** What the coupon took off (fen); null when no coupon was used. */
  discount: Generated<number | null>;
}

/** A user of the merchant (migration 130_users_coupons); `merchant` is '' when registered without an account. */
export interface MerchantUserTable {
  app_id: string;
  mode: 'test' | 'live';
  buyer_id: string;
  merchant: string;
  created_at: number;
  updated_at: number;
}

/** A coupon template: type 0 takes `discount_fee` fen off, type 1 charges `rate_permille`/1000 of the amount. */
export interface CouponTemplateTable {
  id: string;
  app_id: string;
  mode: 'test' | 'live';
  name: string;
  type: number;
  limit_fee: number;
  discount_fee: number;
  rate_permille: number;
  total_count: number;
  max_count_per_user: number;
  deliver_count: number;
  use_count: number;
  /** 1: the template's start_time..end_time; 2: delivery_valid_days from the coupon's issue. */
  expiry_type: number;
  start_time: number | null;
  end_time: number | null;
  delivery_valid_days: number;
  /** 0 not started, 1 active, -1 stopped (only forward). */
  status: number;
  mch_account: string;
  created_at: number;
  updated_at: number;
}

/** An issued coupon; status 0 unused, 1 used (held by `order_bill_no` until that order is paid or given up). */
export interface CouponTable {
  id: string;
  app_id: string;
  mode: 'test' | 'live';
  template_id: string;
  user_id: string;
  status: number;
  start_time: number | null;
  end_time: number | null;
  order_bill_no: string | null;
  paid_bill_id: string | null;
  use_time: number | null;
  created_at: number;
  updated_at: number;
}

/** A legacy sign or v2 nonce already used, refused again until it expires (migration 102_app_security). */
export interface SeenSignatureTable {
  app_id: string;
  /** 'legacy_sign' (a money-moving request's app_id + timestamp + app_sign) or 'nonce' (a v2 request's). */
  kind: string;
  fingerprint: string;
  expires_at: number;
}

/** A second payment (another channel trade number) on an attempt that was already paid: to be refunded. */
export interface DuplicatePaymentTable {
  bill_id: string;
  trade_no: string;
  app_id: string;
  total_fee: number;
  channel_detail: string | null;
  received_at: number;
  refund_required: Generated<number>;
}

/** A transfer (migration 120_transfers; gateway/transfers/transfer.ts). Maps are JSON text. */
export interface TransferTable {
  id: string;
  app_id: string;
  mode: 'test' | 'live';
  channel: string;
  transfer_no: string;
  /** '' for single and bank-card transfers. */
  batch_no: string;
  /** The item's place in its batch (0 for single and card transfers). */
  batch_seq: number;
  total_fee: number;
  title: string;
  receiver_account: string;
  receiver_name: string | null;
  account_name: string | null;
  redpack: string | null;
  card: string | null;
  optional: string | null;
  status: 'PROCESSING' | 'SUCCESS' | 'FAIL';
  message: string | null;
  trade_no: string | null;
  confirm_token: string | null;
  settle_at: number | null;
  create_time: number;
  finish_time: number | null;
}

/** What an app may still transfer in one mode (fen). */
export interface TransferBalanceTable {
  app_id: string;
  mode: 'test' | 'live';
  balance: number;
}

/** The currency of an international bill (migration 140_international). */
export interface BillCurrencyTable {
  bill_id: string;
  currency: string;
}

/** A card saved at the channel (PayPal's vault; in test mode the sandbox's). Never the number or the CVV. */
export interface SavedCardTable {
  id: string;
  app_id: string;
  mode: 'test' | 'live';
  card_type: string;
  last4: string;
  expire_month: number;
  expire_year: number;
  first_name: string;
  last_name: string;
  create_time: number;
}

/** A console operator (migration 110_console). */
export interface ConsoleOperatorTable {
  id: string;
  name: string;
  /** argon2id PHC string. */
  password_hash: string;
  created_at: number;
  last_signin_at: number | null;
}

/** A console session, keyed by the SHA-256 (hex) of the cookie value. */
export interface ConsoleSessionTable {
  id_hash: string;
  operator_id: string;
  created_at: number;
  last_seen_at: number;
  /** The absolute end (sign-in + the absolute lifetime). */
  expires_at: number;
}

/** Failed sign-ins of one account (`account:<name>`) or IP (`ip:<address>`) in the window that started at window_start. */
export interface ConsoleSigninFailureTable {
  throttle_key: string;
  window_start: number;
  failures: number;
}

/** One audited change made in the console. */
export interface ConsoleAuditTable {
  id: Generated<number>;
  at: number;
  operator: string;
  app_id: string | null;
  action: string;
  /** JSON object: what changed (never a secret value). */
  detail: string;
}

/** A subscription plan (migration 135_subscriptions). */
export interface SubscriptionPlanTable {
  id: string;
  app_id: string;
  mode: 'test' | 'live';
  name: string;
  fee: number;
  /** BeeCloud's `interval`: day | week | month | year. */
  period_unit: string;
  /** BeeCloud's `interval_count`. */
  period_count: number;
  currency: string;
  trial_days: number;
  optional: string | null;
  /** 1 while the plan exists, 0 once deleted. */
  valid: number;
  created_at: number;
  updated_at: number;
}

/** An SMS passcode (`sms_id`); the code is kept as its SHA-256 hex. */
export interface SmsPasscodeTable {
  id: string;
  app_id: string;
  mode: 'test' | 'live';
  phone: string;
  code_hash: string;
  tries: number;
  used_at: number | null;
  expires_at: number;
  created_at: number;
}

/** A subscriber's card (`card_id`); card_no, id_no and mobile sealed by the gateway's secret key. */
export interface SubscriptionCardTable {
  card_id: string;
  app_id: string;
  mode: 'test' | 'live';
  bank_name: string;
  card_no: string;
  id_name: string;
  id_no: string;
  mobile: string;
  last4: string;
  /** 1 once the bank confirmed the factors (the review passed). */
  verified: number;
  created_at: number;
}

export interface SubscriptionTable {
  id: string;
  app_id: string;
  mode: 'test' | 'live';
  buyer_id: string;
  plan_id: string;
  card_id: string;
  bank_name: string;
  last4: string;
  /** The quantity the plan's fee is multiplied by, as a decimal string (BeeCloud's Double `amount`). */
  amount: string;
  trial_end: number | null;
  optional: string | null;
  coupon_id: string | null;
  /** pending | trialing | active | past_due | canceled | failed */
  status: string;
  valid: number;
  /** When the sandbox bank's review of a new card ends (null once reviewed). */
  review_at: number | null;
  cancel_at_period_end: number;
  /** When the period `next_period` starts and is charged (null: nothing scheduled). */
  next_charge_at: number | null;
  next_period: number;
  created_at: number;
  updated_at: number;
}

/** One charge of one period of a subscription (unique per subscription and period). */
export interface SubscriptionChargeTable {
  id: string;
  app_id: string;
  mode: 'test' | 'live';
  subscription_id: string;
  period: number;
  period_start: number;
  fee: number;
  /** pending | paid | failed | canceled */
  status: string;
  tries: number;
  next_try_at: number | null;
  message: string | null;
  created_at: number;
  finished_at: number | null;
}

export interface GatewayTables {
  apps: AppTable;
  orders: OrderTable;
  bills: BillTable;
  refunds: RefundTable;
  bill_extras: BillExtrasTable;
  bill_currencies: BillCurrencyTable;
  saved_cards: SavedCardTable;
  webhook_outbox: WebhookOutboxTable;
  webhook_attempts: WebhookAttemptTable;
  seen_signatures: SeenSignatureTable;
  duplicate_payments: DuplicatePaymentTable;
  transfers: TransferTable;
  transfer_balances: TransferBalanceTable;
  console_operators: ConsoleOperatorTable;
  console_sessions: ConsoleSessionTable;
  console_signin_failures: ConsoleSigninFailureTable;
  console_audit: ConsoleAuditTable;
  merchant_users: MerchantUserTable;
  coupon_templates: CouponTemplateTable;
  coupons: CouponTable;
  subscription_plans: SubscriptionPlanTable;
  sms_passcodes: SmsPasscodeTable;
  subscription_cards: SubscriptionCardTable;
  subscriptions: SubscriptionTable;
  subscription_charges: SubscriptionChargeTable;
}

export type GatewayDb = Kysely<GatewayTables>;
/** Either the database or an open transaction: every domain write function accepts both. */
export type GatewayTx = Kysely<GatewayTables> | Transaction<GatewayTables>;
