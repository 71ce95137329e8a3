/**
 * A merchant's webhook endpoint for reliability runs: verifies each webhook with the SDK (legacy sign, signature
 * and Standard Webhooks headers), records every delivery, and books each payment once in SQLite — the primary
 * key is the transaction_id, so a duplicate delivery is answered `success` and booked nothing. It can go down
 * (connections refused) and come back on the same port, as a merchant's server does.
 */
import Database from 'better-sqlite3';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { SpayApp } from '../../../sdk/app.ts';
import { verifyWebhook } from '../../../sdk/webhook.ts';

export interface BookedPayment {
  transactionId: string;
  fee: number;
  deliveries: number;
}

export interface MerchantLedger {
  url: string;
  port: number;
  /** Deliveries that reached the merchant (every attempt, duplicates included). */
  deliveries(): number;
  /** Deliveries whose signatures did not verify. */
  rejected(): number;
  booked(): Map<string, BookedPayment>;
  /** Fees that differed between two deliveries of one transaction (must stay 0). */
  conflictingFees(): number;
  /**
   * The distinct events (`webhook-id` headers) delivered per transaction: one for a payment delivered once or
   * redelivered (same event again); more means the gateway made two webhooks of one payment.
   */
  eventIds(): Map<string, Set<string>>;
  /** Stops answering: the port refuses connections until `start()`. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startMerchantLedger(options: {
  dataDir: string;
  app: SpayApp;
  port?: number;
  /** Decides whether to fail an otherwise good delivery (answer 500 `fail`). */
  failDelivery?: (transactionId: string) => boolean;
}): Promise<MerchantLedger> {
  const db = new Database(join(options.dataDir, 'merchant-ledger.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS payments (
      transaction_id TEXT PRIMARY KEY, fee INTEGER NOT NULL, deliveries INTEGER NOT NULL, booked_at INTEGER NOT NULL);`);
  const book = db.prepare(
    `INSERT INTO payments (transaction_id, fee, deliveries, booked_at) VALUES (?, ?, 1, ?)
     ON CONFLICT(transaction_id) DO UPDATE SET deliveries = deliveries + 1`,
  );
  const feeOf = db.prepare('SELECT fee FROM payments WHERE transaction_id = ?');
  let deliveries = 0;
  let rejected = 0;
  let conflictingFees = 0;
  const eventIds = new Map<string, Set<string>>();

  let server: Server | undefined;
  let port = options.port ?? 0;
  const handler = (
    request: import('node:http').IncomingMessage,
    response: import('node:http').ServerResponse,
  ) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      deliveries += 1;
      const verified = verifyWebhook(Buffer.concat(chunks), request.headers, options.app, {
        requireStandardSignature: true,
      });
      if (!verified.ok) {
        rejected += 1;
        response.writeHead(401, { 'content-type': 'text/plain' }).end(verified.message);
        return;
      }
      const webhook = verified.webhook;
      if (options.failDelivery?.(webhook.transaction_id)) {
        response.writeHead(500, { 'content-type': 'text/plain' }).end('fail');
        return;
      }
      const events = eventIds.get(webhook.transaction_id) ?? new Set<string>();
      events.add(String(request.headers['webhook-id']));
      eventIds.set(webhook.transaction_id, events);
      const known = feeOf.get(webhook.transaction_id) as { fee: number } | undefined;
      if (known && known.fee !== webhook.transaction_fee) conflictingFees += 1;
      book.run(webhook.transaction_id, webhook.transaction_fee, Date.now());
      response.writeHead(200, { 'content-type': 'text/plain' }).end('success');
    });
  };

  const ledger: MerchantLedger = {
    url: '',
    port: 0,
    deliveries: () => deliveries,
    rejected: () => rejected,
    conflictingFees: () => conflictingFees,
    eventIds: () => new Map([...eventIds].map(([id, events]) => [id, new Set(events)])),
    booked() {
      const rows = db.prepare('SELECT transaction_id, fee, deliveries FROM payments').all() as {
        transaction_id: string;
        fee: number;
        deliveries: number;
      }[];
      return new Map(
        rows.map((row) => [
          row.transaction_id,
          { transactionId: row.transaction_id, fee: row.fee, deliveries: row.deliveries },
        ]),
      );
    },
    async start() {
      if (server) return;
      const starting = createServer(handler);
      await new Promise<void>((resolve, reject) => {
        starting.once('error', reject);
        starting.listen(port, '127.0.0.1', () => resolve());
      });
      const address = starting.address();
      if (address === null || typeof address === 'string') throw new Error('merchant ledger has no port');
      port = address.port;
      ledger.port = port;
      ledger.url = `http://127.0.0.1:${port}/webhook`;
      server = starting;
    },
    async stop() {
      const stopping = server;
      server = undefined;
      if (!stopping) return;
      await new Promise<void>((resolve) => {
        stopping.closeAllConnections();
        stopping.close(() => resolve());
      });
    },
    async close() {
      await ledger.stop();
      db.close();
    },
  };
  await ledger.start();
  return ledger;
}
