/** A bill as the REST API shows it (`GET bills`, `GET bill/{id}`): BeeCloud's fields plus spay's `status`. */
import type { Bill } from '../bills/bill.ts';

export interface BillRecord {
  id: string;
  bill_no: string;
  total_fee: number;
  channel: string;
  sub_channel: string;
  title: string;
  spay_result: boolean;
  create_time: number;
  trade_no: string;
  /** JSON text of the merchant's optional map, as BeeCloud sent it. */
  optional: string;
  revert_result: boolean;
  refund_result: boolean;
  buyer_id: string;
  status: Bill['status'];
  message_detail?: string;
}

export interface BillRecordFacts {
  refunded: boolean;
  buyerId: string | null;
}

export function billRecord(bill: Bill, facts: BillRecordFacts, needDetail: boolean): BillRecord {
  const record: BillRecord = {
    id: bill.id,
    bill_no: bill.billNo,
    total_fee: bill.totalFee,
    channel: bill.channel,
    sub_channel: bill.subChannel,
    title: bill.title,
    spay_result: bill.spayResult,
    create_time: bill.createTime,
    trade_no: bill.tradeNo ?? '',
    optional: JSON.stringify(bill.optional ?? {}),
    revert_result: false,
    refund_result: facts.refunded,
    buyer_id: facts.buyerId ?? '',
    status: bill.status,
  };
  if (needDetail) record.message_detail = JSON.stringify(bill.channelDetail ?? {});
  return record;
}
