/**
 * The pay request (`POST /2/rest/bill`, `/2/rest/sandbox/bill`) after its schema (pay-schemas.ts): the rules a schema
 * cannot say — the title as the payer sees it, the return_url as a Location header needs it, the size of
 * `optional`, notify_url as a URL — and the core's names. `POST /2/rest/offline/bill` and `international/bill` take
 * the same fields (`payFields`) and read them here too.
 */
import type { Static } from 'typebox';
import type { OptionalMap } from '../bills/bill.ts';
import { checkOptionalSize, checkTitle, parseReturnUrl } from '../button/button-order.ts';
import type { ButtonChannel } from '../channels/channels.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { payRequestSchema } from './pay-schemas.ts';

export type PayRequestFields = Static<typeof payRequestSchema>;
export type FlatMap = Record<string, string | number | boolean | null>;

export interface PayRequest {
  channel: ButtonChannel;
  totalFee: number;
  billNo: string;
  title: string;
  optional?: OptionalMap;
  returnUrl?: string;
  notifyUrl?: string;
  billTimeoutSeconds?: number;
  openid?: string;
  buyerId?: string;
  couponId?: string;
  analysis?: FlatMap;
}

function checkNotifyUrl(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  try {
    new URL(value);
  } catch {
    throw new BeeCloudError('PARAM_INVALID', 'notify_url', 'must be an absolute http:// or https:// URL');
  }
  if (!/^https?:\/\//i.test(value)) {
    throw new BeeCloudError('PARAM_INVALID', 'notify_url', 'must start with http:// or https://');
  }
  return value;
}

/** The checked fields of a payment on any channel (a REST pay request, an offline or an international bill). */
export type PaymentFields = Omit<PayRequestFields, 'channel'> & { channel: ButtonChannel };

export function payRequestFrom(fields: PaymentFields): PayRequest {
  if (fields.title.trim() === '') throw new BeeCloudError('PARAM_INVALID', 'title', 'must not be blank');
  return {
    channel: fields.channel,
    totalFee: fields.total_fee,
    billNo: fields.bill_no,
    title: checkTitle(fields.title),
    optional: checkOptionalSize(fields.optional as OptionalMap | undefined) ?? undefined,
    returnUrl: parseReturnUrl(fields.return_url) ?? undefined,
    notifyUrl: checkNotifyUrl(fields.notify_url),
    billTimeoutSeconds: fields.bill_timeout,
    openid: fields.openid,
    buyerId: fields.buyer_id,
    couponId: fields.coupon_id,
    analysis: fields.analysis as FlatMap | undefined,
  };
}
