/** A set of selected row ids for bulk actions. */
import { useCallback, useState } from 'preact/hooks';

export function useSelection() {
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const toggle = useCallback(
    (id: string) =>
      setSelected((current) => {
        const next = new Set(current);
        if (next.has(id)) next.delete(id);
        else next.add(id);
        return next;
      }),
    [],
  );
  const clear = useCallback(() => setSelected(new Set()), []);
  const setAll = useCallback((ids: string[]) => setSelected(new Set(ids)), []);
  return { selected, toggle, clear, setAll };
}
