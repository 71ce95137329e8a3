/**
 * Starts a real gateway for a test: 127.0.0.1, a free port, a fresh data directory with a real SQLite file (or,
 * under `SPAY_TEST_DATABASE=postgres`, a fresh PostgreSQL database: test-database.ts) and a small widget build,
 * and a test app seeded. `signedOrder` builds the button's order the way a merchant's server
 * signs it.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buttonOrderSign } from '../../sdk/sign.ts';
import type { SeedApp } from '../apps/app.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { buildGateway, listenGateway, type GatewayOptions } from '../server.ts';
import { createTestDatabase, testDatabaseEngine, type TestDatabase } from './test-database.ts';
import { testApp } from './test-app.ts';

export { testApp };

export interface TestGateway {
  url: string;
  app: SeedApp;
  dataDir: string;
  widgetDir: string;
  /** The PostgreSQL database the gateway keeps its data in (SPAY_TEST_DATABASE=postgres), else undefined. */
  databaseUrl: string | undefined;
  /** The running gateway's services, for tests that act as an operator would (resend, inspect). */
  ctx: GatewayContext;
  close(): Promise<void>;
}

export const testWidgetSource =
  'window.BC = window.BC || { click: function () {} }; /* test widget build */\n';

export type TestGatewayOptions = { app?: Partial<SeedApp>; dataDir?: string } & Partial<GatewayOptions>;

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'spay-gateway-test-')));
  const widgetDir = join(dataDir, 'widget');
  await mkdir(widgetDir, { recursive: true });
  await writeFile(join(widgetDir, 'spay.js'), testWidgetSource);
  await writeFile(join(widgetDir, 'qr-chunk.js'), 'export const qr = 1;\n');
  const app = testApp(options.app);
  // On PostgreSQL a given data directory names a database kept for the run (a restarted gateway finds its data).
  const database: TestDatabase | undefined =
    options.databaseUrl === undefined && testDatabaseEngine() === 'postgres'
      ? await createTestDatabase(options.dataDir)
      : undefined;
  const gatewayOptions: GatewayOptions = {
    host: '127.0.0.1',
    port: 0,
    webhookRetryScale: 0.001,
    logger: false,
    // Test receivers listen on 127.0.0.1; tests of the SSRF rule pass false.
    allowPrivateTargets: true,
    ...options,
    dataDir,
    databaseUrl: options.databaseUrl ?? database?.url,
    widgetDir: options.widgetDir ?? widgetDir,
    seedApps: [app, ...(options.seedApps ?? [])],
  };
  const gateway = await buildGateway(gatewayOptions);
  const url = await listenGateway(gateway, gatewayOptions);
  return {
    url,
    ctx: gateway.ctx,
    app,
    dataDir,
    widgetDir,
    databaseUrl: gatewayOptions.databaseUrl,
    async close() {
      await gateway.close();
      if (!options.dataDir) {
        await rm(dataDir, { recursive: true, force: true });
        await database?.drop();
      }
    },
  };
}

export interface OrderFields {
  title?: string;
  amount?: number;
  out_trade_no?: string;
  return_url?: string;
  optional?: Record<string, unknown>;
  openid?: string;
  bill_timeout?: number;
}

let orderCounter = 0;
export function newOrderNo(): string {
  orderCounter += 1;
  return `T${Date.now()}${String(orderCounter).padStart(4, '0')}`;
}

/** The order a merchant page passes to BC.click, signed with the app secret. */
export function signedOrder(app: SeedApp, fields: OrderFields = {}): Record<string, unknown> {
  const title = fields.title ?? '测试商品';
  const amount = fields.amount ?? 1;
  const outTradeNo = fields.out_trade_no ?? newOrderNo();
  return {
    appId: app.appId,
    ...fields,
    title,
    amount,
    out_trade_no: outTradeNo,
    sign: buttonOrderSign(app.appId, title, amount, outTradeNo, app.appSecret),
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the test looks at text.
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Creates a bill through the button endpoint and returns the answer (throws unless resultCode is 0). */
export async function createBill(
  gateway: TestGateway,
  channel: string,
  fields: OrderFields = {},
): Promise<Record<string, unknown> & { id: string }> {
  const { json } = await postJson(
    `${gateway.url}/2/rest/jsbutton/${channel}`,
    signedOrder(gateway.app, fields),
  );
  if (json.resultCode !== 0) throw new Error(`bill creation failed: ${JSON.stringify(json)}`);
  return json as Record<string, unknown> & { id: string };
}

/** Presses a button on a sandbox page (a form POST without following the redirect). */
export async function pressSandboxButton(url: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: '',
    redirect: 'manual',
  });
  return { status: response.status, location: response.headers.get('location'), text: await response.text() };
}

/** The bill's public status (`GET /2/rest/bill_public/{id}`): its `pay` object. */
export async function billStatus(gateway: { url: string }, id: string): Promise<Record<string, unknown>> {
  const answer = (await (await fetch(`${gateway.url}/2/rest/bill_public/${id}`)).json()) as {
    pay: Record<string, unknown>;
  };
  return answer.pay;
}
