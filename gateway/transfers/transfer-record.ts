/** A transfer as `GET /2/rest/transfers` answers it (sdk/rest-types.ts `TransferRecord`). */
import type { TransferRecord } from '../../sdk/rest-types.ts';
import type { Transfer } from './transfer.ts';

export function transferRecord(transfer: Transfer, needDetail: boolean): TransferRecord {
  const record: TransferRecord = {
    id: transfer.id,
    bill_no: transfer.transferNo,
    transfer_no: transfer.transferNo,
    batch_no: transfer.batchNo,
    channel: transfer.channel,
    total_fee: transfer.totalFee,
    title: transfer.title,
    transfer_status: transfer.status,
    spay_result: transfer.status === 'SUCCESS',
    trade_no: transfer.tradeNo ?? '',
    optional: JSON.stringify(transfer.optional ?? {}),
    create_time: transfer.createTime,
    finish_time: transfer.finishTime,
    account_name: transfer.card !== null ? (transfer.receiverName ?? '') : (transfer.accountName ?? ''),
    account_no: transfer.receiverAccount,
    bank_full_name: transfer.card?.bankFullname ?? '',
    channel_user_name: transfer.card === null ? (transfer.receiverName ?? '') : '',
  };
  if (needDetail) {
    record.message_detail = JSON.stringify({
      transfer_status: transfer.status,
      ...(transfer.message !== null ? { message: transfer.message } : {}),
      ...(transfer.redpack !== null
        ? {
            redpack_info: {
              send_name: transfer.redpack.sendName,
              wishing: transfer.redpack.wishing,
              act_name: transfer.redpack.actName,
            },
          }
        : {}),
      ...(transfer.card !== null
        ? {
            bank_code: transfer.card.bankCode,
            bank_associated_code: transfer.card.bankAssociatedCode,
            card_type: transfer.card.cardType,
            account_type: transfer.card.accountType,
          }
        : {}),
    });
  }
  return record;
}
