/**
 * BeeCloud's webhook schedule: the first delivery about 1 s after the event, then 2, 4, 8 … 2^17 s after each
 * failure (about 36 h in all), every delay multiplied by the gateway's retry scale (tests use e.g. 0.001).
 */

/** The last retry waits 2^17 s; after that failure the webhook is given up. */
export const lastRetryExponent = 17;

export function firstDeliveryDelayMs(scale: number): number {
  return Math.round(1000 * scale);
}

/**
 * Delay before the next attempt after `failedAttempts` failures (1 = the first delivery failed), or null when
 * the schedule is exhausted.
 */
export function retryDelayMs(failedAttempts: number, scale: number): number | null {
  if (failedAttempts < 1 || failedAttempts > lastRetryExponent) return null;
  return Math.round(2 ** failedAttempts * 1000 * scale);
}
