/**
 * Alipay speaks yuan as decimal strings (`"0.01"`, `"88.80"`); spay speaks integer fen. Both directions are exact
 * string/integer arithmetic, never floating point.
 */

/** Alipay's own bounds for total_amount / refund_amount: 0.01 to 100 000 000 yuan. */
export const maxAlipayFen = 100_000_000_00;

const yuanPattern = /^(0|[1-9]\d{0,15})(?:\.(\d{1,2}))?$/;

/** Integer fen → Alipay's yuan string with two decimals (1 → "0.01", 1000 → "10.00"). */
export function fenToYuan(fen: number): string {
  if (!Number.isSafeInteger(fen) || fen < 0)
    throw new RangeError(`amount must be a non-negative integer of fen, got ${fen}`);
  const text = String(fen).padStart(3, '0');
  return `${text.slice(0, -2)}.${text.slice(-2)}`;
}

/**
 * Alipay's yuan string → integer fen, exactly ("0.1" → 10, "88.80" → 8880). Returns null for anything that is not a
 * plain non-negative decimal with at most two places (signs, exponents, spaces, empty, "1.", ".5", "1.234").
 */
export function yuanToFen(yuan: string): number | null {
  const match = yuanPattern.exec(yuan);
  if (!match) return null;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}
