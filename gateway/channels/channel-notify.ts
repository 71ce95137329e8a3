/**
 * The channel notify path: verify and parse a channel's notify with its adapter, then record the payment.
 * `POST /notify/{adapter}` and the sandbox pages both end here.
 */
import type { BillService, PaymentOutcome } from '../bills/bill-service.ts';
import type { Bill } from '../bills/bill.ts';
import type { ChannelAdapter, RawChannelNotify } from './channel-adapter.ts';

export type NotifyResult =
  | { result: 'paid'; outcome: PaymentOutcome; bill: Bill }
  | { result: 'failed'; billId: string; reason: string };

export async function handleChannelNotify(
  adapter: ChannelAdapter,
  bills: BillService,
  raw: RawChannelNotify,
): Promise<NotifyResult> {
  const notice = adapter.parseNotify(raw);
  if (notice.result === 'failed') return notice;
  const { bill, outcome } = await bills.recordPayment(notice);
  return { result: 'paid', outcome, bill };
}
