/**
 * `npm start`: the gateway and the demo merchant, on 127.0.0.1, data under ./data.
 * Environment: SPAY_HOST, SPAY_GATEWAY_PORT (8080), SPAY_DEMO_PORT (3000), SPAY_DATA_DIR (./data),
 * SPAY_SEED_APP (config/demo-app.json), SPAY_WEBHOOK_RETRY_SCALE (1).
 * The demo shop listens on this machine, so the gateway is allowed to send webhooks to private addresses here
 * (what SPAY_ALLOW_PRIVATE_TARGETS=1 does for `npm run gateway`): a local development set-up only.
 */
import { mkdir, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { buildGateway, listenGateway } from '../gateway/server.ts';
import { createOperator, hashPassword } from '../gateway/console/console-auth.ts';
import { startDemoServer } from '../demo-server/server.ts';
import type { SeedApp } from '../gateway/apps/app.ts';

const host = process.env.SPAY_HOST ?? '127.0.0.1';
const gatewayPort = Number(process.env.SPAY_GATEWAY_PORT ?? 8080);
const demoPort = Number(process.env.SPAY_DEMO_PORT ?? 3000);
const dataDir = resolve(process.env.SPAY_DATA_DIR ?? 'data');
const seedFile = resolve(process.env.SPAY_SEED_APP ?? 'config/demo-app.json');

await mkdir(dataDir, { recursive: true });
const seed = JSON.parse(await readFile(seedFile, 'utf8')) as SeedApp;
const demoOrigins = [`http://${host}:${demoPort}`];
if (host === '127.0.0.1') demoOrigins.push(`http://localhost:${demoPort}`);
// The demo shop's origin is the app's registered origin (bill creation from its pages, the sandbox OAuth's target).
const app: SeedApp = {
  ...seed,
  webhookUrl: `http://${host}:${demoPort}/webhook`,
  allowedOrigins: demoOrigins,
};

const gatewayOptions = {
  host,
  port: gatewayPort,
  dataDir,
  seedApps: [app],
  webhookRetryScale: Number(process.env.SPAY_WEBHOOK_RETRY_SCALE ?? 1),
  logger: true,
  allowPrivateTargets: true,
};
const built = await buildGateway(gatewayOptions);
const gateway = { url: await listenGateway(built, gatewayOptions), close: () => built.close() };
// The merchant console's demo operator: a fresh random password at every start (local development only).
const demoOperator = 'demo';
const demoPassword = randomBytes(12).toString('base64url');
if ((await createOperator(built.ctx.store, demoOperator, demoPassword)) === 'exists') {
  await built.ctx.store.console.setPassword(demoOperator, await hashPassword(demoPassword));
}
const demo = await startDemoServer({ host, port: demoPort, dataDir, gatewayUrl: gateway.url, app });

console.log(`
spay is running
  gateway:        ${gateway.url}   (script: ${gateway.url}/1/pay/jsbutton/returnscripts?appId=${app.appId})
  demo merchant:  ${demo.url}   (orders: ${demo.url}/orders)
  demo appId:     ${app.appId}
  console:        ${gateway.url}/console/   (sign in as ${demoOperator} / ${demoPassword}; new password at every start)
  data:           ${dataDir}
Press Ctrl+C to stop.`);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping (undelivered webhooks stay in the outbox)`);
  await demo.close();
  await gateway.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
