/** Integer fen ↔ yuan text, exactly (no floating point): 1 → "0.01", "12.3" → 1230. */
export function fenToYuan(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const absolute = Math.abs(fen);
  const yuan = Math.floor(absolute / 100);
  const cents = String(absolute % 100).padStart(2, '0');
  return `${sign}${yuan}.${cents}`;
}

/** Parses what an operator types as yuan ("3", "3.5", "3.05"); undefined when it is not a positive amount. */
export function yuanToFen(text: string): number | undefined {
  const match = /^\s*(\d{1,9})(?:\.(\d{1,2}))?\s*$/.exec(text);
  if (!match) return undefined;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return fen > 0 ? fen : undefined;
}
