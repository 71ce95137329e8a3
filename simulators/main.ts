/**
 * `npm run simulators`: starts the channel simulators (Alipay, WeChat Pay, UnionPay) on
 * fixed local ports, so a merchant can try live mode without a channel account: point a live app's channel
 * settings at them (README "Try live mode locally"). Each simulator's control API is under `/_sim/`.
 *
 * SPAY_SIM_HOST (127.0.0.1), SPAY_SIM_ALIPAY_PORT (9001), SPAY_SIM_WECHATPAY_PORT (9002),
 * SPAY_SIM_UNIONPAY_PORT (9003), SPAY_SIM_NOTIFY_RETRY_SCALE (1: the channels' real notify retry schedules).
 */
import { simulatorStarters } from './starters.ts';

function portFromEnv(name: string, fallback: number): number {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) {
    console.error(`${name} must be a port number (0–65535), got ${JSON.stringify(text)}`);
    process.exit(2);
  }
  return Number(text);
}

const host = process.env.SPAY_SIM_HOST || '127.0.0.1';
const scaleText = process.env.SPAY_SIM_NOTIFY_RETRY_SCALE ?? '1';
const notifyRetryScale = Number(scaleText);
if (!Number.isFinite(notifyRetryScale) || notifyRetryScale <= 0) {
  console.error(`SPAY_SIM_NOTIFY_RETRY_SCALE must be a number > 0, got ${JSON.stringify(scaleText)}`);
  process.exit(2);
}

const running: { name: string; url: string; close(): Promise<void> }[] = [];
for (const starter of simulatorStarters) {
  const port = portFromEnv(starter.portVariable, starter.defaultPort);
  const simulator = await starter.start({ host, port, notifyRetryScale });
  running.push({ name: starter.name, ...simulator });
  console.log(`${starter.name.padEnd(10)} ${simulator.url}  (control API: ${simulator.url}/_sim/)`);
}

async function stop(): Promise<void> {
  for (const simulator of running) await simulator.close();
  process.exit(0);
}
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
