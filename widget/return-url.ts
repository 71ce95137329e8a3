import type { PublicBill } from './types.ts';

/** Reference §3: after a QR payment the browser goes to return_url with BeeCloud's result parameters. */
export function returnUrlWithResult(returnUrl: string, bill: PublicBill): string {
  const params = new URLSearchParams({
    bill_no: bill.bill_no,
    channel: bill.channel,
    create_time: String(bill.create_time),
    spay_result: String(bill.spay_result),
    sub_channel: bill.sub_channel,
    title: bill.title,
    total_fee: String(bill.total_fee),
    trade_no: bill.trade_no ?? '',
  });
  return `${returnUrl}?${params.toString()}`;
}
