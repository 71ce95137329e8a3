/** Keyset paging state: the cursors of the pages before this one, so "previous" returns exactly where it was. */
import { useCallback, useState } from 'preact/hooks';

export interface CursorPages {
  cursor: string | undefined;
  pageNumber: number;
  next(nextCursor: string): void;
  previous(): void;
  reset(): void;
}

export function useCursorPages(): CursorPages {
  const [stack, setStack] = useState<(string | undefined)[]>([undefined]);
  const next = useCallback((nextCursor: string) => setStack((current) => [...current, nextCursor]), []);
  const previous = useCallback(
    () => setStack((current) => (current.length > 1 ? current.slice(0, -1) : current)),
    [],
  );
  const reset = useCallback(() => setStack([undefined]), []);
  return { cursor: stack[stack.length - 1], pageNumber: stack.length, next, previous, reset };
}
