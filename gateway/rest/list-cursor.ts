/**
 * Keyset cursors of `GET bills` (beside BeeCloud's `skip`/`limit`, which keep working): an opaque base64url text
 * of the last listed bill's `[create_time, id]`. The next page starts after that bill, found through the index
 * on (app, mode, create_time, id) whatever the depth, where `skip` makes the database walk every skipped row.
 */
import { BeeCloudError } from '../errors/result-codes.ts';
import type { ListPosition } from '../storage/record-filter.ts';

export function encodeListCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify([position.createTime, position.id])).toString('base64url');
}

/** The position a cursor names; PARAM_INVALID naming `cursor` for anything this API did not give out. */
export function decodeListCursor(text: string): ListPosition {
  if (/^[A-Za-z0-9_-]{1,256}$/.test(text)) {
    try {
      const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
      if (
        Array.isArray(parsed) &&
        parsed.length === 2 &&
        Number.isSafeInteger(parsed[0]) &&
        (parsed[0] as number) >= 0 &&
        typeof parsed[1] === 'string' &&
        parsed[1].length > 0 &&
        parsed[1].length <= 64
      ) {
        return { createTime: parsed[0] as number, id: parsed[1] };
      }
    } catch {
      // refused below
    }
  }
  throw new BeeCloudError('PARAM_INVALID', 'cursor', 'is not a cursor this API gave out (next_cursor)');
}
