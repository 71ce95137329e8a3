/**
 * Transfers (打款): money the merchant sends out of its account — a WeChat red packet (WX_REDPACK), a WeChat
 * merchant transfer (WX_TRANSFER), an Alipay transfer (ALI_TRANSFER, single or in an Alipay batch) or a bank-card
 * transfer through BeeCloud (BC_TRANSFER). Money is integer fen. A transfer is `PROCESSING` until it settles,
 * once, to `SUCCESS` or `FAIL` (the words of BeeCloud's `transfer_status`).
 */
import type { AppMode } from '../apps/app.ts';

export type TransferChannel = 'WX_REDPACK' | 'WX_TRANSFER' | 'ALI_TRANSFER' | 'BC_TRANSFER';
export type TransferStatus = 'PROCESSING' | 'SUCCESS' | 'FAIL';

export const TRANSFER_CHANNELS: readonly TransferChannel[] = [
  'WX_REDPACK',
  'WX_TRANSFER',
  'ALI_TRANSFER',
  'BC_TRANSFER',
];

/** The family a webhook names in `channel_type`. */
export function transferFamily(channel: TransferChannel): 'WX' | 'ALI' | 'BC' {
  return channel === 'BC_TRANSFER' ? 'BC' : channel === 'ALI_TRANSFER' ? 'ALI' : 'WX';
}

/** The bank card of a BC_TRANSFER. */
export interface BankCard {
  bankCode: string;
  bankAssociatedCode: string;
  bankFullname: string;
  cardType: 'DE' | 'CR';
  accountType: 'P' | 'C';
  mobile: string | null;
}

export interface RedpackInfo {
  sendName: string;
  wishing: string;
  actName: string;
}

export interface Transfer {
  id: string;
  appId: string;
  mode: AppMode;
  channel: TransferChannel;
  /** transfer_no (single), bill_no (bank card) or transfer_id (an item of an Alipay batch). */
  transferNo: string;
  /** The Alipay batch the transfer belongs to, '' for a single transfer. */
  batchNo: string;
  /** The item's place in its batch (0 outside batches). */
  batchSeq: number;
  totalFee: number;
  /** desc, title or transfer_note. */
  title: string;
  /** The receiver: an openid, an Alipay account or a bank account number. */
  receiverAccount: string;
  receiverName: string | null;
  /** The paying account's full name (Alipay). */
  accountName: string | null;
  redpack: RedpackInfo | null;
  card: BankCard | null;
  optional: Record<string, unknown> | null;
  status: TransferStatus;
  /** Why a transfer failed, or the channel's words about it. */
  message: string | null;
  /** The channel's transfer number once it settled. */
  tradeNo: string | null;
  /** Where the payer of an Alipay transfer confirms it (sandbox page token), else null. */
  confirmToken: string | null;
  /** When the sandbox settles a card transfer by itself (ms), else null. */
  settleAt: number | null;
  createTime: number;
  finishTime: number | null;
}

/** The fields of a new transfer, before it is written. */
export type NewTransfer = Omit<Transfer, 'status' | 'message' | 'tradeNo' | 'finishTime'>;
