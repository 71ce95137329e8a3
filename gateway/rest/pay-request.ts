/**
 * The pay request (`POST /2/rest/bill`, `/2/rest/sandbox/bill`) after its schema (pay-schemas.ts): the rules a schema
 * cannot say — the title as the payer sees it, the return_url as a Location header needs it, the size of
 * `optional`, notify_url as a URL — and the core's names. `readPayFields` reads the same fields through the legacy
 * field reader for `POST /2/rest/offline/bill` and `international/bill`, which have no schemas yet.
 */
import type { Static } from 'typebox';
import type { OptionalMap } from '../bills/bill.ts';
import {
  checkOptionalSize,
  checkTitle,
  maxAmountFen,
  maxBillTimeoutSeconds,
  parseReturnUrl,
} from '../button/button-order.ts';
import type { ButtonChannel } from '../channels/channels.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { payRequestSchema } from './pay-schemas.ts';
import type { RequestFields } from './request-fields.ts';

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

export function payRequestFrom(fields: PayRequestFields): PayRequest {
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

/** Channels whose payer comes back through the browser, so a return_url is required (legacy reader). */
const RETURN_URL_REQUIRED = new Set(['ALI_WEB', 'ALI_QRCODE', 'UN_WEB']);

/**
 * The fields of a payment after its channel, through the legacy field reader (`POST /2/rest/offline/bill` and
 * `international/bill`, no schemas yet): the same rules as the schema and `payRequestFrom`.
 */
export function readPayFields(fields: RequestFields, channel: ButtonChannel): PayRequest {
  const totalFee = fields.requiredInteger('total_fee', { min: 1, max: maxAmountFen });
  const billNo = fields.requiredString('bill_no', {
    pattern: /^[0-9A-Za-z]{8,32}$/,
    patternText: 'must be 8 to 32 letters or digits',
  });
  const title = fields.requiredString('title', { maxLength: 64 });
  if (title.trim() === '') throw new BeeCloudError('PARAM_INVALID', 'title', 'must not be blank');
  if (/[\u0000-\u001f\u007f]/.test(title)) {
    throw new BeeCloudError('PARAM_INVALID', 'title', 'must not contain control characters');
  }
  const request: PayRequest = { channel, totalFee, billNo, title: checkTitle(title) };
  request.optional = checkOptionalSize(fields.optionalFlatMap('optional')) ?? undefined;
  if (RETURN_URL_REQUIRED.has(channel) && !fields.has('return_url')) {
    throw new BeeCloudError('MISS_PARAM', 'return_url', `is required for ${channel}`);
  }
  request.returnUrl = parseReturnUrl(fields.optionalString('return_url', { maxLength: 1024 })) ?? undefined;
  request.notifyUrl = checkNotifyUrl(fields.optionalString('notify_url', { maxLength: 1024 }));
  request.billTimeoutSeconds = fields.optionalInteger('bill_timeout', { min: 1, max: maxBillTimeoutSeconds });
  if (channel === 'WX_JSAPI') request.openid = fields.requiredString('openid', { maxLength: 128 });
  else request.openid = fields.optionalString('openid', { maxLength: 128 });
  request.buyerId = fields.optionalString('buyer_id', { maxLength: 64 });
  request.couponId = fields.optionalString('coupon_id', { maxLength: 64 });
  request.analysis = fields.optionalFlatMap('analysis');
  return request;
}
