/**
 * The body of `POST /2/rest/bill` (and `/2/rest/sandbox/bill`), checked field by field with BeeCloud's names
 * (reference §4): channel, total_fee, bill_no, title, optional, return_url, notify_url, bill_timeout, openid,
 * buyer_id, coupon_id, analysis.
 */
import type { OptionalMap } from '../bills/bill.ts';
import {
  maxAmountFen,
  parseBillTimeout,
  parseOptional,
  parseReturnUrl,
  refuseInvisibleTitle,
  titleLength,
} from '../button/button-order.ts';
import { isButtonChannel, type ButtonChannel } from '../channels/channels.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { FlatMap, RequestFields } from './request-fields.ts';

/** BeeCloud channels spay does not offer (yet): refused with a clearer message than an unknown name. */
const BEECLOUD_ONLY_CHANNELS = new Set([
  'WX_APP',
  'ALI_APP',
  'UN_APP',
  'JD_WAP',
  'JD_WEB',
  'YEE_WAP',
  'YEE_WEB',
  'YEE_NOBANKCARD',
  'KUAIQIAN_WAP',
  'KUAIQIAN_WEB',
  'BD_APP',
  'BD_WEB',
  'BD_WAP',
  'PAYPAL_SANDBOX',
  'PAYPAL_LIVE',
]);

/** Channels whose payer comes back through the browser, so a return_url is required. */
const RETURN_URL_REQUIRED = new Set(['ALI_WEB', 'ALI_QRCODE', 'UN_WEB']);

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

/** Channels spay offers on another endpoint than `POST /2/rest/bill`: named in the refusal. */
const OTHER_ENDPOINT: Record<string, string> = {
  WX_SCAN: 'POST /2/rest/offline/bill',
  ALI_SCAN: 'POST /2/rest/offline/bill',
  ALI_OFFLINE_QRCODE: 'POST /2/rest/offline/bill',
  PAYPAL_PAYPAL: 'POST /2/rest/international/bill',
  PAYPAL_CREDITCARD: 'POST /2/rest/international/bill',
  PAYPAL_SAVED_CREDITCARD: 'POST /2/rest/international/bill',
};

export function readChannel(fields: RequestFields): ButtonChannel {
  const channel = fields.requiredString('channel', { maxLength: 32 });
  if (isButtonChannel(channel)) return channel;
  const endpoint = OTHER_ENDPOINT[channel];
  if (endpoint !== undefined) {
    throw new BeeCloudError('CHANNEL_INVALID', 'channel', `${channel} is paid through ${endpoint}`);
  }
  if (BEECLOUD_ONLY_CHANNELS.has(channel)) {
    throw new BeeCloudError('CHANNEL_INVALID', 'channel', `${channel} is not offered by this gateway`);
  }
  throw new BeeCloudError('CHANNEL_INVALID', 'channel', `unknown channel "${channel.slice(0, 32)}"`);
}

/** notify_url: an absolute http(s) URL where this bill's webhooks go instead of the app's (it may carry a query). */
function readNotifyUrl(fields: RequestFields): string | undefined {
  const value = fields.optionalString('notify_url', { maxLength: 1024 });
  if (value === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BeeCloudError('PARAM_INVALID', 'notify_url', 'must be an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new BeeCloudError('PARAM_INVALID', 'notify_url', 'must start with http:// or https://');
  }
  return value;
}

export function readPayRequest(fields: RequestFields): PayRequest {
  return readPayFields(fields, readChannel(fields));
}

/**
 * The fields of a payment after its channel (shared by `POST /2/rest/bill`, `offline/bill` and
 * `international/bill`): total_fee, bill_no, title, optional, return_url, notify_url, bill_timeout, openid,
 * buyer_id, coupon_id, analysis.
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
  refuseInvisibleTitle(title);
  if (titleLength(title) > 32) {
    throw new BeeCloudError('PARAM_INVALID', 'title', 'must be at most 32 bytes (16 Chinese characters)');
  }
  const request: PayRequest = { channel, totalFee, billNo, title };
  request.optional = parseOptional(fields.values.optional) ?? undefined;
  if (RETURN_URL_REQUIRED.has(channel) && !fields.has('return_url')) {
    throw new BeeCloudError('MISS_PARAM', 'return_url', `is required for ${channel}`);
  }
  request.returnUrl = parseReturnUrl(fields.values.return_url) ?? undefined;
  request.notifyUrl = readNotifyUrl(fields);
  request.billTimeoutSeconds = parseBillTimeout(fields.values.bill_timeout) ?? undefined;
  if (channel === 'WX_JSAPI') request.openid = fields.requiredString('openid', { maxLength: 128 });
  else request.openid = fields.optionalString('openid', { maxLength: 128 });
  request.buyerId = fields.optionalString('buyer_id', { maxLength: 64 });
  request.couponId = fields.optionalString('coupon_id', { maxLength: 64 });
  request.analysis = fields.optionalFlatMap('analysis');
  return request;
}
