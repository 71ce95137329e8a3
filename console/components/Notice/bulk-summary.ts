/** Says how a bulk action went: how many succeeded, and each refusal with its id. */
import type { BulkResults } from '../../api/types.ts';

export function bulkFailures(results: BulkResults): string[] {
  return Object.entries(results).flatMap(([id, result]) => (result.ok ? [] : [`${id}: ${result.message}`]));
}

export function bulkSucceeded(results: BulkResults): number {
  return Object.values(results).filter((result) => result.ok).length;
}
