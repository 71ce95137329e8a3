/**
 * What `npm run gateway` prints when it cannot start: one line saying what is wrong and what to do, instead of a
 * stack trace (issue 21 item 10). SPAY_DEBUG=1 prints the stack as well.
 */
import { join } from 'node:path';

interface ErrorWithCode {
  code?: unknown;
  message?: unknown;
}

function codeOf(error: unknown): string {
  const code = (error as ErrorWithCode | null)?.code;
  return typeof code === 'string' ? code : '';
}

function messageOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').trim();
}

export function describeStartupFailure(error: unknown, dataDir: string): string {
  const file = join(dataDir, 'gateway.sqlite');
  const code = codeOf(error);
  const message = messageOf(error);
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return `spay gateway: ${file} is not a usable SQLite database (${message}). Restore it from a backup, or move it and its -wal and -shm files away to start with an empty database (its bills would be lost); then start again.`;
  }
  if (code === 'SQLITE_CANTOPEN' || code === 'EACCES' || code === 'EPERM' || code === 'SQLITE_READONLY') {
    return `spay gateway: cannot open ${file} for writing (${message}). Check that SPAY_DATA_DIR (${dataDir}) exists and this user may write there.`;
  }
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return `spay gateway: ${file} is locked by another process (${message}). Stop the other gateway or CLI using it, then start again.`;
  }
  if (code === 'EADDRINUSE') {
    return `spay gateway: the address is already in use (${message}). Stop what listens there or set SPAY_GATEWAY_PORT.`;
  }
  return `spay gateway: could not start: ${message} (SPAY_DEBUG=1 prints the details).`;
}
