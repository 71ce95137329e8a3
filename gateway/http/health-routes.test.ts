/** /healthz (the process answers) and /readyz (store reachable, migrations current, dispatcher running). */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { buildGateway, listenGateway, type BuiltGateway } from '../server.ts';
import { createBill, startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function started(): Promise<TestGateway> {
  const gateway = await startTestGateway();
  cleanups.push(() => gateway.close());
  return gateway;
}

async function built(): Promise<{ gateway: BuiltGateway; dataDir: string }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'spay-health-'));
  const gateway = await buildGateway({ dataDir, logger: false });
  cleanups.push(async () => {
    await gateway.close();
    await rm(dataDir, { recursive: true, force: true });
  });
  return { gateway, dataDir };
}

describe('GET /healthz', () => {
  it('answers 200 while the process runs, without reading the store', async () => {
    const { gateway } = await built();
    await gateway.ctx.store.close();
    const answer = await gateway.app.inject({ method: 'GET', url: '/healthz' });
    expect(answer.statusCode).toBe(200);
    expect(answer.json()).toMatchObject({ status: 'ok', uptime_s: expect.any(Number) });
  });
});

describe('GET /readyz', () => {
  it('is ready once the gateway listens: store ok, migrations current, dispatcher running, backlog counted', async () => {
    const gateway = await started();
    await createBill(gateway, 'ALI_WEB');
    const response = await fetch(`${gateway.url}/readyz`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(await response.json()).toEqual({
      status: 'ready',
      store: 'ok',
      migrations: 'current',
      dispatcher: 'running',
      pending_webhooks: 0,
    });
  });

  it('is not ready before the dispatcher starts, nor after it stops', async () => {
    const { gateway } = await built();
    const before = await gateway.app.inject({ method: 'GET', url: '/readyz' });
    expect(before.statusCode).toBe(503);
    expect(before.json()).toMatchObject({ status: 'not_ready', store: 'ok', dispatcher: 'stopped' });

    await listenGateway(gateway, { host: '127.0.0.1', port: 0 });
    expect((await gateway.app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    await gateway.ctx.webhooks.stop();
    const after = await gateway.app.inject({ method: 'GET', url: '/readyz' });
    expect(after.statusCode).toBe(503);
    expect(after.json()).toMatchObject({ dispatcher: 'stopped' });
  });

  it('is not ready when the database lacks a migration this gateway knows (and names it)', async () => {
    const { gateway, dataDir } = await built();
    await listenGateway(gateway, { host: '127.0.0.1', port: 0 });
    // As if an older gateway's database were swapped in under this one.
    const sqlite = new Database(join(dataDir, 'gateway.sqlite'));
    sqlite.prepare("delete from kysely_migration where name = '103_outbox_leases'").run();
    sqlite.close();
    const answer = await gateway.app.inject({ method: 'GET', url: '/readyz' });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({
      status: 'not_ready',
      store: 'ok',
      migrations: 'pending',
      pending_migrations: ['103_outbox_leases'],
      dispatcher: 'running',
    });
  });

  it('is not ready when the store does not answer', async () => {
    const { gateway } = await built();
    await listenGateway(gateway, { host: '127.0.0.1', port: 0 });
    await gateway.ctx.store.close();
    const answer = await gateway.app.inject({ method: 'GET', url: '/readyz' });
    expect(answer.statusCode).toBe(503);
    expect(answer.json()).toMatchObject({ status: 'not_ready', store: 'unreachable', migrations: 'unknown' });
  });
});
