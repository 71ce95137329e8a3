/**
 * The transfer requests after their schemas (transfer-schemas.ts), in the core's names, with the rules a schema
 * cannot say: the card transfer's title as the payer sees it, each transfer_id once in a batch, bill_no naming the
 * same transfer as transfer_no, end_time not before start_time.
 */
import type { Static } from 'typebox';
import { checkTitle } from '../button/button-order.ts';
import type { BatchTransferRequest, CardTransferRequest, SingleTransferRequest } from '../core/transfers.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { TransferFilter } from '../storage/transfer-store.ts';
import type { BankAccountKind } from '../transfers/banks.ts';
import { timeRangeFrom } from './list-query.ts';
import type {
  bankListQuery,
  batchTransferRequestSchema,
  cardTransferRequestSchema,
  transferCountQuery,
  transferRequestSchema,
} from './transfer-schemas.ts';

export { MAX_BATCH_ITEMS } from './transfer-schemas.ts';

/** `POST /2/rest/transfer`. */
export function transferRequestFrom(fields: Static<typeof transferRequestSchema>): SingleTransferRequest {
  const redpack = fields.redpack_info;
  return {
    channel: fields.channel,
    transferNo: fields.transfer_no,
    totalFee: fields.total_fee,
    desc: fields.desc,
    channelUserId: fields.channel_user_id,
    channelUserName: fields.channel_user_name,
    accountName: fields.account_name,
    redpack:
      fields.channel === 'WX_REDPACK' && redpack !== undefined
        ? { sendName: redpack.send_name, wishing: redpack.wishing, actName: redpack.act_name }
        : undefined,
  };
}

/** `POST /2/rest/bc_transfer`. */
export function cardTransferRequestFrom(
  fields: Static<typeof cardTransferRequestSchema>,
): CardTransferRequest {
  return {
    billNo: fields.bill_no,
    totalFee: fields.total_fee,
    title: checkTitle(fields.title),
    card: {
      bankCode: fields.bank_code,
      bankAssociatedCode: fields.bank_associated_code,
      bankFullname: fields.bank_fullname,
      cardType: fields.card_type,
      accountType: fields.account_type,
      mobile: fields.mobile ?? null,
    },
    accountNo: fields.account_no,
    accountName: fields.account_name,
    optional: fields.optional,
  };
}

/** `POST /2/rest/transfers` (Alipay batch). */
export function batchTransferRequestFrom(
  fields: Static<typeof batchTransferRequestSchema>,
): BatchTransferRequest {
  const seen = new Set<string>();
  fields.transfer_data.forEach((item, index) => {
    if (seen.has(item.transfer_id)) {
      throw new BeeCloudError(
        'PARAM_INVALID',
        `transfer_data[${index}].transfer_id`,
        'is used twice in the batch',
      );
    }
    seen.add(item.transfer_id);
  });
  return {
    batchNo: fields.batch_no,
    accountName: fields.account_name,
    items: fields.transfer_data.map((item) => ({
      transferId: item.transfer_id,
      receiverAccount: item.receiver_account,
      receiverName: item.receiver_name,
      transferFee: item.transfer_fee,
      transferNote: item.transfer_note,
    })),
  };
}

/** `GET /2/rest/transfers` and `transfers/count`: the filter (bill_no is the Java SDK's name for transfer_no). */
export function transferFilterFrom(fields: Static<typeof transferCountQuery>): TransferFilter {
  if (
    fields.transfer_no !== undefined &&
    fields.bill_no !== undefined &&
    fields.transfer_no !== fields.bill_no
  ) {
    throw new BeeCloudError('PARAM_INVALID', 'bill_no', 'names another transfer than transfer_no');
  }
  return {
    channel: fields.channel,
    status: fields.transfer_status,
    transferNo: fields.transfer_no ?? fields.bill_no,
    batchNo: fields.batch_no,
    ...timeRangeFrom(fields),
  };
}

export function bankListTypeFrom(fields: Static<typeof bankListQuery>): BankAccountKind {
  return fields.type;
}
