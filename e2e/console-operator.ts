/**
 * Creates a console operator on a running e2e stack's gateway, as `npm run admin -- create-user` does: through the
 * gateway's own createOperator, on a second connection to the stack's SQLite store.
 */
import { randomBytes } from 'node:crypto';
import { createOperator } from '../gateway/console/console-auth.ts';
import { openSqliteStore } from '../gateway/storage/store.ts';
import type { Stack } from './stack.ts';

export async function createConsoleOperator(
  stack: Pick<Stack, 'dataDir'>,
  name: string,
): Promise<{ name: string; password: string }> {
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const store = await openSqliteStore(stack.dataDir);
  try {
    const created = await createOperator(store, name, password);
    if (created !== 'created') throw new Error(`operator ${name} exists already`);
  } finally {
    await store.close();
  }
  return { name, password };
}
