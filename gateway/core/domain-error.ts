/**
 * A refusal by the core, in the payment domain's words: a `reason` (what rule said no) and the `subject` it is
 * about. The core never speaks HTTP or BeeCloud: the edges map reasons to result codes and subjects to their own
 * field names (`http/domain-errors.ts`).
 */
export type DomainReason =
  | 'app_unknown'
  | 'channel_unknown'
  | 'channel_not_enabled'
  /** A live app without settings for the channel's family, or no family registered for it. */
  | 'channel_not_configured'
  | 'channel_refused'
  | 'channel_unavailable'
  | 'order_conflict'
  | 'order_paid'
  | 'bill_unknown'
  | 'bill_not_paid'
  | 'bill_channel_mismatch'
  | 'refund_duplicate'
  | 'prerefund_duplicate'
  | 'refund_too_large'
  | 'refund_unknown'
  | 'refund_refused'
  /** A URL the gateway would send to that points at an internal address (SSRF guard). */
  | 'target_refused'
  /** A transfer_no / batch_no already used by another transfer of the app. */
  | 'transfer_duplicate'
  /** The app's transfer balance does not cover the transfer. */
  | 'balance_insufficient'
  /** The channel does not offer this call on this gateway (WeChat Pay micropay live, PayPal live). */
  | 'channel_unsupported'
  /** A saved card (credit_card_id) this app does not have. */
  | 'card_unknown'
  /** No such buyer registered with the app (merchant users). */
  | 'user_unknown'
  /** No such coupon template, or no such coupon, in the app. */
  | 'template_unknown'
  | 'coupon_unknown'
  /** The template gives no more coupons (not active, total_count or max_count_per_user reached). */
  | 'template_exhausted'
  /** A template's status may only move forward (0 → 1 → -1). */
  | 'template_status_backward'
  /** The coupon cannot pay this order (owner, validity, threshold, already used). */
  | 'coupon_unusable'
  /** A card factor (name, id number, card number, mobile) of the wrong shape. */
  | 'factor_invalid'
  /** No subscription plan with that id in the app (or it was deleted). */
  | 'plan_unknown'
  /** No subscription with that id in the app. */
  | 'subscription_unknown'
  /** An SMS passcode that is unknown, expired, used, tried too often or wrong. */
  | 'passcode_invalid'
  /** A subscription's change its state no longer allows (e.g. a cancelled one). */
  | 'subscription_closed';

/** What a refusal is about, in domain terms; each edge names it its own way (amount vs total_fee …). */
export type DomainSubject =
  | 'app'
  | 'channel'
  | 'amount'
  | 'title'
  | 'bill_no'
  | 'bill_id'
  | 'refund_no'
  | 'refund_fee'
  | 'refund_ids'
  | 'notify_url'
  | 'transfer_no'
  | 'batch_no'
  /** The payer's payment code (offline WX_SCAN / ALI_SCAN). */
  | 'auth_code'
  /** The card of a PayPal card payment. */
  | 'credit_card_info'
  | 'credit_card_id'
  | 'buyer_id'
  | 'user_id'
  | 'template_id'
  | 'coupon_id'
  | 'status'
  | 'name'
  | 'id_no'
  | 'card_no'
  | 'mobile'
  | 'card_id'
  | 'plan_id'
  | 'subscription_id'
  | 'sms_id'
  | 'sms_code'
  | 'trial_end';

export class DomainError extends Error {
  constructor(
    readonly reason: DomainReason,
    readonly subject: DomainSubject,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}
