/**
 * `npm run demo`: the demo merchant on its own, against a running gateway.
 * Environment: SPAY_DEMO_HOST (127.0.0.1), SPAY_DEMO_PORT (3000), SPAY_DATA_DIR (./data),
 * SPAY_GATEWAY_URL (http://127.0.0.1:8080), SPAY_DEMO_APP (config/demo-app.json).
 */
import { resolve } from 'node:path';
import { loadDemoApp } from './config.ts';
import { startDemoServer } from './server.ts';

const host = process.env.SPAY_DEMO_HOST ?? '127.0.0.1';
const port = Number(process.env.SPAY_DEMO_PORT ?? 3000);
const dataDir = resolve(process.env.SPAY_DATA_DIR ?? 'data');
const gatewayUrl = process.env.SPAY_GATEWAY_URL ?? 'http://127.0.0.1:8080';
const appFile = resolve(process.env.SPAY_DEMO_APP ?? 'config/demo-app.json');

if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`SPAY_DEMO_PORT: not a port number: ${process.env.SPAY_DEMO_PORT}`);
  process.exit(1);
}

const app = await loadDemoApp(appFile);
const demo = await startDemoServer({ host, port, dataDir, gatewayUrl, app, logger: true });
console.log(
  `demo merchant: ${demo.url}   (orders: ${demo.url}/orders, gateway: ${gatewayUrl}, appId: ${app.appId})`,
);

let stopping = false;
async function stop(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  console.log(`${signal}: stopping the demo merchant`);
  await demo.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
