/**
 * The bodies and queries of the transfer endpoints, one reader per endpoint, checked field by field with
 * BeeCloud's names (BeeCloud's transfer REST API and its Java / Python SDKs):
 * `POST /2/rest/transfer`, `POST /2/rest/bc_transfer`, `POST /2/rest/transfers` (Alipay batch),
 * `GET /2/rest/transfers` and `transfers/count`, `GET /2/rest/bc_transfer/banks`.
 */
import { refuseInvisibleTitle, titleLength } from '../button/button-order.ts';
import type {
  BatchTransferItem,
  BatchTransferRequest,
  CardTransferRequest,
  SingleTransferRequest,
} from '../core/transfers.ts';
import { BeeCloudError, ResultCode } from '../errors/result-codes.ts';
import type { TransferFilter } from '../storage/transfer-store.ts';
import type { RedpackInfo, TransferChannel, TransferStatus } from '../transfers/transfer.ts';
import { readPaging, readTimeRange, type Paging } from './list-query.ts';
import { RequestFields } from './request-fields.ts';

/** The largest transfer in fen (a 32-bit integer, as BeeCloud's SDKs send it). */
const MAX_TRANSFER_FEN = 2_147_483_647;
export const MAX_BATCH_ITEMS = 1000;

const SINGLE_CHANNELS = ['WX_REDPACK', 'WX_TRANSFER', 'ALI_TRANSFER'] as const;

/** transfer_no per channel: Alipay 11–32 letters/digits, WeChat transfers 8–32, WeChat red packets 10 digits. */
const TRANSFER_NO_RULES: Record<SingleTransferRequest['channel'], { pattern: RegExp; patternText: string }> =
  {
    ALI_TRANSFER: {
      pattern: /^[0-9A-Za-z]{11,32}$/,
      patternText: 'must be 11 to 32 letters or digits for ALI_TRANSFER',
    },
    WX_TRANSFER: {
      pattern: /^[0-9A-Za-z]{8,32}$/,
      patternText: 'must be 8 to 32 letters or digits for WX_TRANSFER',
    },
    WX_REDPACK: { pattern: /^\d{10}$/, patternText: 'must be 10 digits for WX_REDPACK' },
  };

/** total_fee per channel (fen): red packets 1.00–200.00 yuan, WeChat transfers at least 1.00 yuan. */
const FEE_RULES: Record<SingleTransferRequest['channel'], { min: number; max: number }> = {
  WX_REDPACK: { min: 100, max: 20_000 },
  WX_TRANSFER: { min: 100, max: MAX_TRANSFER_FEN },
  ALI_TRANSFER: { min: 1, max: MAX_TRANSFER_FEN },
};

function plainText(fields: RequestFields, name: string, maxLength: number): string {
  const value = fields.requiredString(name, { maxLength });
  if (value.trim() === '') throw new BeeCloudError('MISS_PARAM', name, 'must not be blank');
  if (/[\u0000-\u001f\u007f]/.test(value)) {
    throw new BeeCloudError('PARAM_INVALID', name, 'must not contain control characters');
  }
  return value;
}

function optionalPlainText(fields: RequestFields, name: string, maxLength: number): string | undefined {
  return fields.has(name) ? plainText(fields, name, maxLength) : undefined;
}

/** A nested object (redpack_info, an item of transfer_data) read as its own fields, errors naming `prefix.field`. */
function nested<T>(
  prefix: string,
  value: unknown,
  source: RequestFields['source'],
  read: (f: RequestFields) => T,
): T {
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value);
    } catch {
      throw new BeeCloudError('PARAM_INVALID', prefix, 'must be a JSON object');
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BeeCloudError('PARAM_INVALID', prefix, 'must be an object');
  }
  try {
    return read(new RequestFields(value as Record<string, unknown>, source));
  } catch (error) {
    if (error instanceof BeeCloudError) {
      const detail = error.detail.slice(error.field.length + 2);
      throw new BeeCloudError(
        error.code === ResultCode.MISS_PARAM ? 'MISS_PARAM' : 'PARAM_INVALID',
        `${prefix}.${error.field}`,
        detail,
      );
    }
    throw error;
  }
}

function readRedpack(fields: RequestFields): RedpackInfo {
  return {
    sendName: plainText(fields, 'send_name', 32),
    wishing: plainText(fields, 'wishing', 128),
    actName: plainText(fields, 'act_name', 32),
  };
}

/** `POST /2/rest/transfer`. */
export function readTransferRequest(fields: RequestFields): SingleTransferRequest {
  const channelName = fields.requiredString('channel', { maxLength: 32 });
  const channel = SINGLE_CHANNELS.find((name) => name === channelName);
  if (channel === undefined) {
    throw new BeeCloudError('CHANNEL_INVALID', 'channel', `must be one of ${SINGLE_CHANNELS.join(', ')}`);
  }
  const transferNo = fields.requiredString('transfer_no', TRANSFER_NO_RULES[channel]);
  const fee = FEE_RULES[channel];
  const totalFee = fields.requiredInteger('total_fee', fee);
  const desc = plainText(fields, 'desc', 128);
  const channelUserId = plainText(fields, 'channel_user_id', 128);
  const alipay = channel === 'ALI_TRANSFER';
  const channelUserName = alipay
    ? plainText(fields, 'channel_user_name', 64)
    : optionalPlainText(fields, 'channel_user_name', 64);
  const accountName = alipay
    ? plainText(fields, 'account_name', 128)
    : optionalPlainText(fields, 'account_name', 128);
  let redpack: RedpackInfo | undefined;
  if (channel === 'WX_REDPACK') {
    if (!fields.has('redpack_info'))
      throw new BeeCloudError('MISS_PARAM', 'redpack_info', 'is required for WX_REDPACK');
    redpack = nested('redpack_info', fields.values.redpack_info, fields.source, readRedpack);
  }
  return { channel, transferNo, totalFee, desc, channelUserId, channelUserName, accountName, redpack };
}

/** `POST /2/rest/bc_transfer`. */
export function readCardTransferRequest(fields: RequestFields): CardTransferRequest {
  const totalFee = fields.requiredInteger('total_fee', { min: 1, max: MAX_TRANSFER_FEN });
  const billNo = fields.requiredString('bill_no', {
    pattern: /^[0-9A-Za-z]{8,32}$/,
    patternText: 'must be 8 to 32 letters or digits',
  });
  const title = plainText(fields, 'title', 64);
  refuseInvisibleTitle(title);
  if (titleLength(title) > 32) {
    throw new BeeCloudError('PARAM_INVALID', 'title', 'must be at most 32 bytes (16 Chinese characters)');
  }
  const tradeSource = fields.optionalString('trade_source', { maxLength: 16 });
  if (tradeSource !== undefined && tradeSource !== 'OUT_PC') {
    throw new BeeCloudError('PARAM_INVALID', 'trade_source', 'must be OUT_PC');
  }
  const bankCode = fields.requiredString('bank_code', {
    pattern: /^[A-Z]{2,16}$/,
    patternText: 'must be the bank abbreviation in capitals (e.g. BOC)',
  });
  const bankAssociatedCode = fields.requiredString('bank_associated_code', {
    pattern: /^\d{1,20}$/,
    patternText: 'must be digits (the bank branch code; "0" below 50,000 yuan)',
  });
  const bankFullname = plainText(fields, 'bank_fullname', 64);
  const cardType = fields.requiredString('card_type', {
    pattern: /^(DE|CR)$/,
    patternText: 'must be DE or CR',
  });
  const accountType = fields.requiredString('account_type', {
    pattern: /^(P|C)$/,
    patternText: 'must be P or C',
  });
  const accountNo = fields.requiredString('account_no', {
    pattern: /^\d{4,32}$/,
    patternText: 'must be the account number (4 to 32 digits)',
  });
  const accountName = plainText(fields, 'account_name', 64);
  const mobile = fields.optionalString('mobile', {
    pattern: /^\+?\d{5,20}$/,
    patternText: 'must be a phone number',
  });
  return {
    billNo,
    totalFee,
    title,
    card: {
      bankCode,
      bankAssociatedCode,
      bankFullname,
      cardType: cardType as 'DE' | 'CR',
      accountType: accountType as 'P' | 'C',
      mobile: mobile ?? null,
    },
    accountNo,
    accountName,
    optional: fields.optionalFlatMap('optional'),
  };
}

function readBatchItem(fields: RequestFields): BatchTransferItem {
  return {
    transferId: fields.requiredString('transfer_id', {
      pattern: /^[0-9A-Za-z]{1,32}$/,
      patternText: 'must be 1 to 32 letters or digits',
    }),
    receiverAccount: plainText(fields, 'receiver_account', 128),
    receiverName: plainText(fields, 'receiver_name', 64),
    transferFee: fields.requiredInteger('transfer_fee', { min: 1, max: MAX_TRANSFER_FEN }),
    transferNote: plainText(fields, 'transfer_note', 128),
  };
}

/** `POST /2/rest/transfers` (Alipay batch). */
export function readBatchTransferRequest(fields: RequestFields): BatchTransferRequest {
  const channel = fields.requiredString('channel', { maxLength: 16 });
  if (channel !== 'ALI')
    throw new BeeCloudError('CHANNEL_INVALID', 'channel', 'must be ALI (Alipay batches only)');
  const batchNo = fields.requiredString('batch_no', {
    pattern: /^[0-9A-Za-z]{11,32}$/,
    patternText: 'must be 11 to 32 letters or digits',
  });
  const accountName = plainText(fields, 'account_name', 128);
  if (!fields.has('transfer_data')) throw new BeeCloudError('MISS_PARAM', 'transfer_data', 'is required');
  const data = fields.values.transfer_data;
  if (!Array.isArray(data))
    throw new BeeCloudError('PARAM_INVALID', 'transfer_data', 'must be a list of objects');
  if (data.length === 0) throw new BeeCloudError('MISS_PARAM', 'transfer_data', 'must not be empty');
  if (data.length > MAX_BATCH_ITEMS) {
    throw new BeeCloudError('PARAM_INVALID', 'transfer_data', `must have at most ${MAX_BATCH_ITEMS} items`);
  }
  const items = data.map((item, index) =>
    nested(`transfer_data[${index}]`, item, fields.source, readBatchItem),
  );
  const seen = new Set<string>();
  items.forEach((item, index) => {
    if (seen.has(item.transferId)) {
      throw new BeeCloudError(
        'PARAM_INVALID',
        `transfer_data[${index}].transfer_id`,
        'is used twice in the batch',
      );
    }
    seen.add(item.transferId);
  });
  const total = items.reduce((sum, item) => sum + item.transferFee, 0);
  if (total > Number.MAX_SAFE_INTEGER)
    throw new BeeCloudError('PARAM_INVALID', 'transfer_data', 'total too large');
  return { batchNo, accountName, items };
}

const STATUSES: readonly TransferStatus[] = ['PROCESSING', 'SUCCESS', 'FAIL'];
const QUERY_CHANNELS: readonly TransferChannel[] = [
  'WX_REDPACK',
  'WX_TRANSFER',
  'ALI_TRANSFER',
  'BC_TRANSFER',
];

export interface TransferListQuery extends Paging {
  filter: TransferFilter;
  needDetail: boolean;
}

/** `GET /2/rest/transfers/count`: the filter (bill_no is the Java SDK's name for the transfer number). */
export function readTransferQuery(fields: RequestFields): TransferFilter {
  const channelName = fields.optionalString('channel', { maxLength: 32 });
  const channel = channelName === undefined ? undefined : QUERY_CHANNELS.find((name) => name === channelName);
  if (channelName !== undefined && channel === undefined) {
    throw new BeeCloudError('CHANNEL_INVALID', 'channel', `must be one of ${QUERY_CHANNELS.join(', ')}`);
  }
  const statusName = fields.optionalString('transfer_status', { maxLength: 16 });
  const status = statusName === undefined ? undefined : STATUSES.find((name) => name === statusName);
  if (statusName !== undefined && status === undefined) {
    throw new BeeCloudError('PARAM_INVALID', 'transfer_status', 'must be SUCCESS, FAIL or PROCESSING');
  }
  const transferNo = fields.optionalString('transfer_no', { maxLength: 32 });
  const billNo = fields.optionalString('bill_no', { maxLength: 32 });
  if (transferNo !== undefined && billNo !== undefined && transferNo !== billNo) {
    throw new BeeCloudError('PARAM_INVALID', 'bill_no', 'names another transfer than transfer_no');
  }
  return {
    channel,
    status,
    transferNo: transferNo ?? billNo,
    batchNo: fields.optionalString('batch_no', { maxLength: 32 }),
    ...readTimeRange(fields),
  };
}

/** `GET /2/rest/transfers`. */
export function readTransferListQuery(fields: RequestFields): TransferListQuery {
  return {
    filter: readTransferQuery(fields),
    ...readPaging(fields),
    needDetail: fields.optionalBoolean('need_detail') ?? false,
  };
}

export type BankListType = 'P_DE' | 'P_CR' | 'C';

/** `GET /2/rest/bc_transfer/banks`: type P_DE (personal debit), P_CR (personal credit) or C (company). */
export function readBankListQuery(fields: RequestFields): BankListType {
  return fields.requiredString('type', {
    pattern: /^(P_DE|P_CR|C)$/,
    patternText: 'must be P_DE, P_CR or C',
  }) as BankListType;
}
