/**
 * The offline requests after their schemas (offline-schemas.ts), in the core's names: the pay fields read as
 * `POST /2/rest/bill` reads them (pay-request.ts), the refund as `POST /2/rest/refund` (refund-request.ts).
 */
import type { Static } from 'typebox';
import { channelFilterFrom, type ChannelFilter } from './list-query.ts';
import type {
  OfflineChannel,
  offlinePayRequest,
  offlineRefundRequest,
  offlineStatusRequest,
  revertRequest,
} from './offline-schemas.ts';
import { payRequestFrom, type PayRequest } from './pay-request.ts';
import { refundRequestFrom, type RefundRequest } from './refund-request.ts';

export type { OfflineChannel };

export interface OfflinePayRequest extends PayRequest {
  channel: OfflineChannel;
  /** WX_SCAN / ALI_SCAN: the payer's payment code scanned by the till. */
  authCode?: string;
  terminalId?: string;
  storeId?: string;
}

export function offlinePayRequestFrom(fields: Static<typeof offlinePayRequest>): OfflinePayRequest {
  return {
    ...payRequestFrom(fields),
    channel: fields.channel,
    authCode: fields.auth_code,
    terminalId: fields.terminal_id,
    storeId: fields.store_id,
  };
}

export interface OfflineBillQuery {
  billNo: string;
  channel?: ChannelFilter;
}

export function offlineStatusFrom(fields: Static<typeof offlineStatusRequest>): OfflineBillQuery {
  return { billNo: fields.bill_no, channel: channelFilterFrom(fields.channel) };
}

/** `POST offline/bill/{bill_no}`: the bill_no comes from the path (its schema), `method` REVERT from the body. */
export function revertFrom(billNo: string, fields: Static<typeof revertRequest>): OfflineBillQuery {
  return { billNo, channel: channelFilterFrom(fields.channel) };
}

export interface OfflineRefundRequest extends RefundRequest {
  reason?: string;
  operatorId?: string;
  storeId?: string;
}

export function offlineRefundFrom(fields: Static<typeof offlineRefundRequest>): OfflineRefundRequest {
  return {
    ...refundRequestFrom({ ...fields, need_approval: false }),
    reason: fields.refund_reason,
    operatorId: fields.operator_id,
    storeId: fields.store_id,
  };
}
