/**
 * A merchant's webhook endpoint for tests: a real HTTP server on 127.0.0.1 (free port) that records every
 * delivery and answers what the test decides (e.g. fail the first two, then `success`).
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface ReceivedWebhook {
  /** The HTTP method it came with (BeeCloud's webhooks are POSTs). */
  method: string;
  headers: IncomingHttpHeaders;
  body: string;
  receivedAt: number;
}

/** An answer (with extra headers, e.g. a redirect's `location`), no answer at all, or a dropped connection. */
export type WebhookAnswer =
  { status: number; body: string; headers?: Record<string, string> } | 'hang' | 'drop';

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Decides the answer to the nth delivery (0-based). Default: 200 `success`. */
  answer: (index: number, webhook: ReceivedWebhook) => WebhookAnswer;
  waitFor(count: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(port = 0): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const waiters: Array<() => void> = [];
  let server: Server;
  const receiver: WebhookReceiver = {
    url: '',
    received,
    answer: () => ({ status: 200, body: 'success' }),
    waitFor(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`expected ${count} webhooks within ${timeoutMs} ms, got ${received.length}`)),
          timeoutMs,
        );
        const check = () => {
          if (received.length >= count) {
            clearTimeout(timer);
            resolve(received.slice(0, count));
          } else {
            waiters.push(check);
          }
        };
        check();
      });
    },
    close() {
      return new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  };
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const webhook: ReceivedWebhook = {
        method: request.method ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        receivedAt: Date.now(),
      };
      const index = received.length;
      received.push(webhook);
      const answer = receiver.answer(index, webhook);
      for (const wake of waiters.splice(0)) wake();
      if (answer === 'hang') return;
      if (answer === 'drop') {
        request.socket.destroy();
        return;
      }
      response.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('receiver has no port');
  receiver.url = `http://127.0.0.1:${address.port}/webhook`;
  return receiver;
}

/** The deliveries received so far for one transaction (a bill_no or refund_no). */
export function webhooksFor(receiver: WebhookReceiver, transactionId: string): ReceivedWebhook[] {
  return receiver.received.filter(
    (webhook) => (JSON.parse(webhook.body) as { transaction_id?: unknown }).transaction_id === transactionId,
  );
}
