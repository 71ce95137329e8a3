/**
 * The edges' translation of core refusals (`DomainError`) into BeeCloud answers: a result code per reason and a
 * field name per subject, in the vocabulary of the edge that called (the button speaks `amount`, `out_trade_no`,
 * `appId`; the REST API `total_fee`, `bill_no`, `app_id`). Routes declare their edge with
 * `config: { edge: 'button' }`; the REST API is the default.
 */
import type { DomainError, DomainReason, DomainSubject } from '../core/domain-error.ts';
import { BeeCloudError, type ResultName } from '../errors/result-codes.ts';

export type Edge = 'button' | 'rest';

const resultByReason: Record<DomainReason, ResultName> = {
  app_unknown: 'APP_INVALID',
  channel_unknown: 'CHANNEL_INVALID',
  // BeeCloud answered a channel the app had not configured with 2 PAY_FACTOR_NOT_SET; 3 is for unknown names.
  channel_not_enabled: 'PAY_FACTOR_NOT_SET',
  channel_not_configured: 'PAY_FACTOR_NOT_SET',
  channel_refused: 'CHANNEL_ERROR',
  channel_unavailable: 'CHANNEL_ERROR',
  order_conflict: 'BILL_NO_DUPLICATE',
  order_paid: 'BILL_NO_DUPLICATE',
  bill_unknown: 'NO_SUCH_BILL',
  bill_not_paid: 'BILL_UNSUCCESS',
  bill_channel_mismatch: 'CHANNEL_INVALID',
  refund_duplicate: 'ALREADY_REFUNDING',
  prerefund_duplicate: 'PREREFUND_DUPLICATE',
  refund_too_large: 'REFUND_AMOUNT_TOO_LARGE',
  refund_unknown: 'NO_SUCH_REFUND',
  refund_refused: 'CHANNEL_ERROR',
  target_refused: 'PARAM_INVALID',
  transfer_duplicate: 'BILL_NO_DUPLICATE',
  balance_insufficient: 'CHANNEL_ERROR',
  channel_unsupported: 'PAY_FACTOR_NOT_SET',
  card_unknown: 'PARAM_INVALID',
  user_unknown: 'PARAM_INVALID',
  template_unknown: 'PARAM_INVALID',
  coupon_unknown: 'PARAM_INVALID',
  template_exhausted: 'PARAM_INVALID',
  template_status_backward: 'PARAM_INVALID',
  coupon_unusable: 'PARAM_INVALID',
  factor_invalid: 'PARAM_INVALID',
  plan_unknown: 'PARAM_INVALID',
  subscription_unknown: 'PARAM_INVALID',
  passcode_invalid: 'PARAM_INVALID',
  subscription_closed: 'PARAM_INVALID',
};

const commonFields = {
  name: 'name',
  id_no: 'id_no',
  card_no: 'card_no',
  mobile: 'mobile',
  card_id: 'card_id',
  plan_id: 'plan_id',
  subscription_id: 'id',
  sms_id: 'sms_id',
  sms_code: 'sms_code',
  trial_end: 'trial_end',
  auth_code: 'auth_code',
  credit_card_info: 'credit_card_info',
  credit_card_id: 'credit_card_id',
} as const;

const fieldNames: Record<Edge, Record<DomainSubject, string>> = {
  button: {
    app: 'appId',
    channel: 'channel',
    amount: 'amount',
    title: 'title',
    bill_no: 'out_trade_no',
    bill_id: 'id',
    refund_no: 'refund_no',
    refund_fee: 'refund_fee',
    refund_ids: 'ids',
    notify_url: 'notify_url',
    transfer_no: 'transfer_no',
    batch_no: 'batch_no',
    buyer_id: 'buyer_id',
    user_id: 'user_id',
    template_id: 'template_id',
    coupon_id: 'coupon_id',
    status: 'status',
    ...commonFields,
  },
  rest: {
    app: 'app_id',
    channel: 'channel',
    amount: 'total_fee',
    title: 'title',
    bill_no: 'bill_no',
    bill_id: 'id',
    refund_no: 'refund_no',
    refund_fee: 'refund_fee',
    refund_ids: 'ids',
    notify_url: 'notify_url',
    transfer_no: 'transfer_no',
    batch_no: 'batch_no',
    buyer_id: 'buyer_id',
    user_id: 'user_id',
    template_id: 'template_id',
    coupon_id: 'coupon_id',
    status: 'status',
    ...commonFields,
  },
};

export function beeCloudErrorFor(error: DomainError, edge: Edge): BeeCloudError {
  return new BeeCloudError(resultByReason[error.reason], fieldNames[edge][error.subject], error.message);
}

/** The result name an edge answers for a reason (PUT /2/rest/refund's result_map speaks names). */
export function resultNameFor(error: DomainError): ResultName {
  return resultByReason[error.reason];
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Whose vocabulary the route's refusals use (REST when unset). */
    edge?: Edge;
  }
}
