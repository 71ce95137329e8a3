/**
 * The bodies of the offline endpoints (BeeCloud's 线下 REST API, `/2/rest/offline/*`), checked field by field:
 * `offline/bill` (channel WX_SCAN | ALI_SCAN with the payer's `auth_code`, or WX_NATIVE | ALI_OFFLINE_QRCODE for a
 * code_url; terminal_id and store_id for Alipay), `offline/bill/status`, `offline/bill/{bill_no}` (method REVERT)
 * and `offline/refund`.
 */
import type { ChannelName } from '../channels/channel.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { readChannelFilter, type ChannelFilter } from './channel-filter.ts';
import { readPayFields, type PayRequest } from './pay-request.ts';
import { readRefundRequest, type RefundRequest } from './refund-request.ts';
import type { RequestFields } from './request-fields.ts';

export type OfflineChannel = Extract<
  ChannelName,
  'WX_SCAN' | 'ALI_SCAN' | 'WX_NATIVE' | 'ALI_OFFLINE_QRCODE'
>;
const offlineChannels: readonly OfflineChannel[] = ['WX_SCAN', 'ALI_SCAN', 'WX_NATIVE', 'ALI_OFFLINE_QRCODE'];

/**
 * The payment codes the channels issue: WeChat Pay 18 digits starting 10–15, Alipay 16–24 digits starting 25–30
 * (the channels' own documented formats).
 */
const authCodePatterns: Record<'WX_SCAN' | 'ALI_SCAN', { pattern: RegExp; text: string }> = {
  WX_SCAN: {
    pattern: /^1[0-5]\d{16}$/,
    text: "must be WeChat Pay's payment code: 18 digits starting 10 to 15",
  },
  ALI_SCAN: {
    pattern: /^(2[5-9]|30)\d{14,22}$/,
    text: "must be Alipay's payment code: 16 to 24 digits starting 25 to 30",
  },
};

export interface OfflinePayRequest extends PayRequest {
  channel: OfflineChannel;
  /** WX_SCAN / ALI_SCAN: the payer's payment code scanned by the till. */
  authCode?: string;
  terminalId?: string;
  storeId?: string;
}

function readOfflineChannel(fields: RequestFields): OfflineChannel {
  const channel = fields.requiredString('channel', { maxLength: 32 });
  if ((offlineChannels as readonly string[]).includes(channel)) return channel as OfflineChannel;
  throw new BeeCloudError(
    'CHANNEL_INVALID',
    'channel',
    `must be WX_SCAN, ALI_SCAN, WX_NATIVE or ALI_OFFLINE_QRCODE, not "${channel.slice(0, 32)}"`,
  );
}

const storeIdRule = {
  pattern: /^[0-9A-Za-z_-]{1,32}$/,
  patternText: 'must be 1 to 32 letters, digits, _ or -',
};

export function readOfflinePayRequest(fields: RequestFields): OfflinePayRequest {
  const channel = readOfflineChannel(fields);
  const request: OfflinePayRequest = { ...readPayFields(fields, channel), channel };
  if (channel === 'WX_SCAN' || channel === 'ALI_SCAN') {
    const { pattern, text } = authCodePatterns[channel];
    request.authCode = fields.requiredString('auth_code', { maxLength: 32, pattern, patternText: text });
  } else if (fields.has('auth_code')) {
    throw new BeeCloudError('PARAM_INVALID', 'auth_code', `is only for WX_SCAN and ALI_SCAN, not ${channel}`);
  }
  request.terminalId = fields.optionalString('terminal_id', storeIdRule);
  request.storeId = fields.optionalString('store_id', storeIdRule);
  return request;
}

export interface OfflineBillQuery {
  billNo: string;
  channel?: ChannelFilter;
}

export function readBillNo(value: unknown, field = 'bill_no'): string {
  if (typeof value !== 'string' || value === '') throw new BeeCloudError('MISS_PARAM', field, 'is required');
  if (!/^[0-9A-Za-z]{8,32}$/.test(value)) {
    throw new BeeCloudError('PARAM_INVALID', field, 'must be 8 to 32 letters or digits');
  }
  return value;
}

export function readOfflineStatusRequest(fields: RequestFields): OfflineBillQuery {
  fields.requiredString('bill_no', { maxLength: 64 });
  return { billNo: readBillNo(fields.values.bill_no), channel: readChannelFilter(fields) };
}

/** `POST offline/bill/{bill_no}`: the bill_no comes from the path; `method` must be REVERT. */
export function readRevertRequest(fields: RequestFields, pathBillNo: string): OfflineBillQuery {
  const billNo = readBillNo(pathBillNo);
  const method = fields.requiredString('method', { maxLength: 16 });
  if (method !== 'REVERT') throw new BeeCloudError('PARAM_INVALID', 'method', 'must be REVERT');
  return { billNo, channel: readChannelFilter(fields) };
}

export interface OfflineRefundRequest extends RefundRequest {
  reason?: string;
  operatorId?: string;
  storeId?: string;
}

export function readOfflineRefundRequest(fields: RequestFields): OfflineRefundRequest {
  if (fields.has('need_approval')) {
    throw new BeeCloudError('PARAM_INVALID', 'need_approval', 'offline refunds have no pre-refund approval');
  }
  const request: OfflineRefundRequest = readRefundRequest(fields);
  request.reason = fields.optionalString('refund_reason', { maxLength: 128 });
  request.operatorId = fields.optionalString('operator_id', { maxLength: 32 });
  request.storeId = fields.optionalString('store_id', storeIdRule);
  return request;
}
