/**
 * The demo merchant's app: the fields of `config/demo-app.json` it needs (ids, secrets, mode).
 */
import { readFile } from 'node:fs/promises';
import type { AppConfigFile } from '../sdk/app.ts';

export interface DemoAppConfig extends AppConfigFile {
  appId: string;
  appSecret: string;
  masterSecret: string;
  testSecret: string;
  webhookSecret: string;
  mode: 'test' | 'live';
}

const requiredFields = ['appId', 'appSecret', 'masterSecret', 'testSecret', 'webhookSecret'] as const;

/** Reads and checks an app config file (the shape of config/demo-app.json). */
export async function loadDemoApp(file: string): Promise<DemoAppConfig> {
  const text = await readFile(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not valid JSON`);
  }
  return checkDemoApp(value, file);
}

export function checkDemoApp(value: unknown, source = 'app config'): DemoAppConfig {
  if (typeof value !== 'object' || value === null) throw new Error(`${source}: not a JSON object`);
  const record = value as Record<string, unknown>;
  for (const field of requiredFields) {
    if (typeof record[field] !== 'string' || record[field] === '') {
      throw new Error(`${source}: ${field} is missing or empty`);
    }
  }
  if (record.mode !== 'test' && record.mode !== 'live')
    throw new Error(`${source}: mode must be "test" or "live"`);
  return record as unknown as DemoAppConfig;
}
