/** A bill as the REST API shows it (`GET bills`, `GET bill/{id}`); the record's type is the SDK's. */
import type { BillRecord } from '../../sdk/rest-types.ts';
import type { Bill } from '../bills/bill.ts';

export type { BillRecord };

export interface BillRecordFacts {
  refunded: boolean;
  buyerId: string | null;
  couponId: string | null;
  billFee: number;
  discount: number;
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
    bill_fee: facts.billFee,
    discount: facts.discount,
    coupon_id: facts.couponId ?? '',
    status: bill.status,
  };
  if (needDetail) record.message_detail = JSON.stringify(bill.channelDetail ?? {});
  return record;
}
