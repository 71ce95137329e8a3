/** Integer fen (> 0) → "x.xx" yuan, without floating point. */
export function formatFen(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`;
}
