/**
 * Slow and greedy clients (issue 21 item 4), over real sockets: a body sent a byte at a time and headers that
 * never end are cut within the timeouts, one IP cannot hold more than its share of connections or event streams,
 * and /2/rest/* is rate-limited per IP and per app.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restAppSign } from '../../sdk/sign.ts';
import { createBill, startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';

let gateway: TestGateway;
let port: number;
const sockets: Socket[] = [];

beforeAll(async () => {
  gateway = await startTestGateway({
    connectionLimits: {
      requestTimeoutMs: 1500,
      headersTimeoutMs: 1000,
      maxConnectionsPerIp: 20,
      maxEventStreamsPerIp: 3,
    },
    rateLimit: { restPerMinutePerIp: 8, restPerMinutePerApp: 5 },
  });
  port = Number(new URL(gateway.url).port);
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await gateway?.close();
});

/** A raw connection from `localAddress` (127.0.0.x: another client IP on loopback). */
function open(localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, localAddress }, () => resolve(socket));
    socket.on('error', reject);
    sockets.push(socket);
  });
}

/** Resolves with how long the server kept the socket open after `since`, and what it sent. */
function closed(socket: Socket, since: number): Promise<{ afterMs: number; answer: string }> {
  let answer = '';
  socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
  return new Promise((resolve) => {
    if (socket.destroyed) resolve({ afterMs: Date.now() - since, answer });
    socket.on('close', () => resolve({ afterMs: Date.now() - since, answer }));
  });
}

describe('request timeouts', () => {
  it('cuts a body sent one byte at a time within the request timeout', async () => {
    const socket = await open('127.0.0.2');
    const since = Date.now();
    socket.write(
      `POST /2/rest/jsbutton/ALI_WEB HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{`,
    );
    const drip = setInterval(() => !socket.destroyed && socket.write(' '), 200);
    const { afterMs, answer } = await closed(socket, since);
    clearInterval(drip);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeLessThan(1500 + 1500);
  });

  it('cuts headers that never end within the headers timeout', async () => {
    const socket = await open('127.0.0.3');
    const since = Date.now();
    socket.write('GET /healthz HTTP/1.1\r\nhost: x\r\n');
    const drip = setInterval(() => !socket.destroyed && socket.write('x-slow: 1\r\n'), 200);
    const { afterMs } = await closed(socket, since);
    clearInterval(drip);
    expect(afterMs).toBeLessThan(1000 + 1500);
  });
});

describe('connection caps', () => {
  it('refuses connections over the per-IP cap and still serves other clients', async () => {
    const held = await Promise.all(Array.from({ length: 20 }, () => open('127.0.0.4')));
    const extra = await open('127.0.0.4');
    const { answer } = await closed(extra, Date.now());
    expect(answer).toMatch(/^HTTP\/1\.1 503/);
    expect((await fetch(`${gateway.url}/healthz`)).status).toBe(200);
    for (const socket of held) socket.destroy();
  });

  it('refuses event streams over the per-IP cap with 429', async () => {
    const bill = await createBill(gateway, 'ALI_WEB');
    const url = `${gateway.url}/2/rest/bill_public/${bill.id}/events`;
    const controllers = Array.from({ length: 3 }, () => new AbortController());
    const streams = await Promise.all(controllers.map((c) => fetch(url, { signal: c.signal })));
    expect(streams.map((stream) => stream.status)).toEqual([200, 200, 200]);
    const refused = await fetch(url);
    expect(refused.status).toBe(429);
    expect(await refused.json()).toMatchObject({ result_msg: 'NETWORK_ERROR' });
    controllers[0]!.abort();
    // The closed stream's slot is given back.
    await expect
      .poll(async () => {
        const again = await fetch(url, { signal: AbortSignal.timeout(2000) }).catch(() => undefined);
        const status = again?.status;
        await again?.body?.cancel();
        return status;
      })
      .toBe(200);
    for (const controller of controllers) controller.abort();
  });
});

describe('REST rate limits', () => {
  function billsQuery(appId: string, secret: string): string {
    const timestamp = Date.now();
    const para = JSON.stringify({
      app_id: appId,
      timestamp,
      app_sign: restAppSign(appId, timestamp, secret),
    });
    return `${gateway.url}/2/rest/bills?para=${encodeURIComponent(para)}`;
  }

  it('limits /2/rest/* per app (authenticated requests only), then per IP', async () => {
    // Requests that fail authentication do not spend the app's budget (anyone can name an app_id).
    for (let i = 0; i < 2; i += 1) {
      const forged = await fetch(billsQuery(gateway.app.appId, 'not the secret'));
      expect(await forged.json()).toMatchObject({ result_msg: 'APP_INVALID' });
    }
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) {
      statuses.push((await fetch(billsQuery(gateway.app.appId, gateway.app.appSecret))).status);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    // 9th request from this IP: over the per-IP limit whatever the app.
    const other = await fetch(billsQuery('another-app', 'x'));
    expect(other.status).toBe(429);
    expect(String((await other.json()).err_detail)).toMatch(/^rate: more than 8 requests/);
  });
});
