import { fenToYuan } from './money.ts';

/** An amount of integer fen shown as ¥yuan. */
export function Money(props: { fen: number }) {
  return <span class="money">¥{fenToYuan(props.fen)}</span>;
}
