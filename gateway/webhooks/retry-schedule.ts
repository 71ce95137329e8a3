/**
 * BeeCloud's webhook schedule: the first delivery goes out as soon as the payment (or refund) is committed —
 * the dispatcher is woken after the commit, no waiting — then, after each failure, 1, 2, 4, 8 … 2^17 s (about
 * 73 h in all), every retry delay multiplied by the gateway's retry scale (tests use e.g. 0.001).
 */

/** The last retry waits 2^17 s; after that failure the webhook is given up. */
export const lastRetryExponent = 17;

/** The first attempt is due at once: it is sent when the dispatcher is woken after the commit. */
export function firstDeliveryDelayMs(): number {
  return 0;
}

/**
 * Delay before the next attempt after `failedAttempts` failures (1 = the first delivery failed: 1 s), or null
 * when the schedule is exhausted (after the retry that waited 2^17 s).
 */
export function retryDelayMs(failedAttempts: number, scale: number): number | null {
  if (failedAttempts < 1 || failedAttempts > lastRetryExponent + 1) return null;
  return Math.round(2 ** (failedAttempts - 1) * 1000 * scale);
}
