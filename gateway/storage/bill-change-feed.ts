/**
 * Bill changes between gateway instances on one PostgreSQL: each instance announces the bills it changed
 * (`NOTIFY spay_bill_changed`, after the commit) and listens on one connection of its own (`LISTEN`), so a
 * payer's status stream is pushed whatever instance serves it. Only the bill id travels (with the announcing
 * instance's id, so an instance skips its own); the listening instance reads the bill from the database. The
 * listening connection is opened again after it breaks (the server restarting); a change announced while it was
 * down reaches the payer at the stream's next reconnect, which reads the bill.
 */
import { randomUUID } from 'node:crypto';
import type pgModule from 'pg';
import { lazyModule } from '../lazy-module.ts';

const pg = lazyModule<typeof pgModule>('pg');

export const billChangeChannel = 'spay_bill_changed';
const reconnectDelayMs = 1000;

export interface BillChangeFeed {
  /** Tells every other instance that this bill changed. */
  announce(billId: string): Promise<void>;
  /** Calls `listener` with the id of every bill another instance announces, until `close()`. */
  listen(listener: (billId: string) => void): Promise<void>;
  close(): Promise<void>;
}

export function postgresBillChangeFeed(
  pool: pgModule.Pool,
  url: string,
  onError: (error: unknown) => void = () => {},
): BillChangeFeed {
  const origin = randomUUID();
  let client: pgModule.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  let listener: ((billId: string) => void) | undefined;

  function scheduleReconnect(): void {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: unknown) => {
        onError(error);
        scheduleReconnect();
      });
    }, reconnectDelayMs);
    retry.unref();
  }

  async function connect(): Promise<void> {
    const next = new (pg().Client)({ connectionString: url, application_name: 'spay-gateway-listen' });
    let dropped = false;
    const drop = (error?: unknown) => {
      if (dropped) return;
      dropped = true;
      if (error) onError(error);
      if (client === next) client = undefined;
      next.end().catch(() => {});
      scheduleReconnect();
    };
    next.on('notification', (message) => {
      if (message.channel !== billChangeChannel || !message.payload) return;
      const [from, billId] = message.payload.split(' ');
      if (from !== origin && billId) listener?.(billId);
    });
    next.on('error', drop);
    next.on('end', () => drop());
    try {
      await next.connect();
      await next.query(`LISTEN ${billChangeChannel}`);
    } catch (error) {
      dropped = true;
      next.end().catch(() => {});
      throw error;
    }
    if (closed) {
      dropped = true;
      await next.end();
      return;
    }
    client = next;
  }

  return {
    async announce(billId) {
      await pool.query('SELECT pg_notify($1, $2)', [billChangeChannel, `${origin} ${billId}`]);
    },
    async listen(onChange) {
      listener = onChange;
      await connect();
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      const current = client;
      client = undefined;
      await current?.end().catch(() => {});
    },
  };
}
