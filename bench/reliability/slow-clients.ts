/**
 * Slow and greedy clients (issue 21 item 4), against the gateway as a process with its default limits: from
 * four other loopback addresses (127.0.0.2–5) an attacker opens 1,100 connections — bodies sent one byte every
 * 2 s and event streams left open — while fresh clients on 127.0.0.1 keep creating bills and reading status.
 * Slow requests must be cut within the request timeout (15 s), connections and streams over the per-IP caps
 * refused, and every fresh client served throughout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoApp } from '../lib/demo-app.ts';
import { startGatewayProcess } from '../lib/gateway-process.ts';
import { callGateway, createBill } from '../lib/rest-requests.ts';
import { Checks } from './lib/checks.ts';

const requestTimeoutMs = 15_000;

interface HeldConnection {
  openedAt: number;
  closedAt?: number;
  answer: string;
  refused: boolean;
  close?: () => void;
}

function openFrom(
  port: number,
  localAddress: string,
  request: string,
  drip: boolean,
): Promise<HeldConnection> {
  return new Promise((resolve) => {
    const held: HeldConnection = { openedAt: Date.now(), answer: '', refused: false };
    const socket: Socket = connect({ host: '127.0.0.1', port, localAddress }, () => {
      held.openedAt = Date.now();
      socket.write(request);
      resolve(held);
    });
    let timer: NodeJS.Timeout | undefined;
    if (drip) timer = setInterval(() => !socket.destroyed && socket.write(' '), 2000);
    socket.on('data', (chunk: Buffer) => {
      if (held.answer.length < 200) held.answer += chunk.toString('latin1');
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      held.closedAt = Date.now();
      held.refused = held.answer.startsWith('HTTP/1.1 503') || held.answer.startsWith('HTTP/1.1 429');
      resolve(held);
    });
    held.close = () => socket.destroy();
  });
}

export async function slowClientsScenario(connections = 1100): Promise<Checks> {
  const checks = new Checks('slow-clients');
  const dataDir = mkdtempSync(join(tmpdir(), 'spay-reliability-slow-clients-'));
  const app = demoApp({ webhookUrl: '' });
  const gateway = await startGatewayProcess({ dataDir, app, rateLimits: true });
  const port = Number(new URL(gateway.url).port);
  try {
    const bill = await createBill(gateway.url, app, { totalFee: 1 });
    const slowBodies = Math.round(connections * 0.75);
    const streams = connections - slowBodies;
    checks.tried_(
      `${slowBodies} bodies sent a byte every 2 s and ${streams} event streams from 127.0.0.2–5, fresh clients on 127.0.0.1`,
    );
    const attackStartedAt = Date.now();
    const attack: Promise<HeldConnection>[] = [];
    for (let i = 0; i < connections; i += 1) {
      const localAddress = `127.0.0.${2 + (i % 4)}`;
      const request =
        i < slowBodies
          ? `POST /2/rest/jsbutton/ALI_WEB HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 60000\r\n\r\n{`
          : `GET /2/rest/bill_public/${bill.id}/events HTTP/1.1\r\nhost: x\r\naccept: text/event-stream\r\n\r\n`;
      attack.push(openFrom(port, localAddress, request, i < slowBodies));
    }
    const held = await Promise.all(attack);

    const bodies = held.slice(0, slowBodies);
    // Fresh clients during the attack: a bill and a status read every 250 ms until every slow body was cut
    // (at most 45 s).
    let served = 0;
    let failed = 0;
    const roundsMs: number[] = [];
    while (
      bodies.some((connection) => connection.closedAt === undefined) &&
      Date.now() - attackStartedAt < 45_000
    ) {
      const startedAt = Date.now();
      try {
        const fresh = await createBill(gateway.url, app, { totalFee: 2 });
        const status = await callGateway(`${gateway.url}/2/rest/bill_public/${fresh.id}`);
        if (status.status === 200) served += 1;
        else failed += 1;
      } catch {
        failed += 1;
      }
      roundsMs.push(Date.now() - startedAt);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    roundsMs.sort((a, b) => a - b);
    const p95Ms = roundsMs[Math.floor(roundsMs.length * 0.95)] ?? 0;
    const worstMs = roundsMs.at(-1) ?? 0;
    const heldOpen = bodies.filter((connection) => !connection.refused);
    const cut = heldOpen.filter((connection) => connection.closedAt !== undefined);
    const timedOut = cut.filter((connection) => connection.answer.startsWith('HTTP/1.1 408')).length;
    const longestMs = Math.max(0, ...cut.map((connection) => connection.closedAt! - connection.openedAt));
    checks.check(
      'connections held by slow clients are cut within the request timeout',
      cut.length === heldOpen.length && timedOut === cut.length && longestMs <= requestTimeoutMs + 2000,
      `${cut.length}/${heldOpen.length} slow bodies cut (${timedOut} answered 408), the longest after ${(longestMs / 1000).toFixed(1)} s (timeout ${requestTimeoutMs / 1000} s)`,
    );
    const refusedConnections = held.filter((connection) =>
      connection.answer.startsWith('HTTP/1.1 503'),
    ).length;
    const refusedStreams = held.filter((connection) => connection.answer.startsWith('HTTP/1.1 429')).length;
    const openStreams = held
      .slice(slowBodies)
      .filter((connection) => connection.closedAt === undefined).length;
    checks.check(
      'connections and event streams over the per-IP caps are refused',
      refusedConnections + refusedStreams > 0 && openStreams <= 4 * 64,
      `${refusedConnections} connections refused with 503, ${refusedStreams} streams with 429, ${openStreams} streams open (cap 64 per IP)`,
    );
    checks.check(
      'fresh clients are served during the attack',
      failed === 0 && served > 0 && p95Ms < 2000,
      `${served} bill + status rounds served, ${failed} failed; round p95 ${p95Ms} ms, slowest ${worstMs} ms`,
    );
    for (const connection of held) connection.close?.();
  } finally {
    await gateway.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
  return checks;
}
