/**
 * Buyers paying through the sandbox, the way a merchant's server and a payer would: create a bill (REST, signed),
 * then pay it (the sandbox's notify). A buyer whose gateway is unreachable waits and tries again — the same
 * bill_no, so a bill created just before a crash is not paid twice — and counts every answer that was not a
 * network failure but still not a success.
 */
import type { SeedApp } from '../../../gateway/apps/app.ts';
import { createBill, sandboxPay, uniqueBillNo } from '../../lib/rest-requests.ts';

export interface PaymentOutcome {
  billNo: string;
  billId: string;
  fee: number;
  /** Network failures retried (gateway down or restarting). */
  networkRetries: number;
}

export interface BuyerStats {
  refusals: string[];
  networkRetries: number;
}

export function isNetworkFailure(error: unknown): boolean {
  return (
    error instanceof TypeError || (error instanceof Error && /fetch failed|ECONN|socket/i.test(error.message))
  );
}

/** Tries again (every 100 ms) while the gateway cannot be reached, until `deadline`; other failures throw. */
export async function retrying<T>(
  attempt: () => Promise<T>,
  stats: BuyerStats,
  deadline: number,
): Promise<T> {
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (!isNetworkFailure(error) || Date.now() > deadline) throw error;
      stats.networkRetries += 1;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/** One payment, from bill creation to the sandbox's "paid" (or "already_paid" after a lost answer). */
export async function payOnce(
  gatewayUrl: () => string,
  app: SeedApp,
  fee: number,
  stats: BuyerStats,
  deadlineMs = 120_000,
): Promise<PaymentOutcome> {
  const deadline = Date.now() + deadlineMs;
  const billNo = uniqueBillNo('R');
  const before = stats.networkRetries;
  const bill = await retrying(
    () => createBill(gatewayUrl(), app, { billNo, totalFee: fee }),
    stats,
    deadline,
  );
  const answer = await retrying(() => sandboxPay(gatewayUrl(), app, bill.id), stats, deadline);
  const outcome = answer.json.outcome;
  if (answer.json.result_code !== 0 || (outcome !== 'paid' && outcome !== 'already_paid')) {
    stats.refusals.push(`${billNo}: ${answer.text.slice(0, 200)}`);
  }
  return { billNo, billId: bill.id, fee, networkRetries: stats.networkRetries - before };
}
