import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { testApp } from '../testing/gateway-harness.ts';
import { loadSecretKey, parseSecretKey, SecretSealer } from './secret-sealer.ts';
import { openSqliteStore } from './store.ts';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'spay-sealer-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

describe('SecretSealer', () => {
  it('seals with AES-256-GCM: the text is not in the sealed value, opening gives it back, each seal differs', () => {
    const sealer = new SecretSealer(randomBytes(32));
    const sealed = sealer.seal('{"app_private_key":"MIIEvQ…"}');
    expect(sealed.startsWith('sealed:v1:')).toBe(true);
    expect(sealed).not.toContain('MIIEvQ');
    expect(sealer.seal('{"app_private_key":"MIIEvQ…"}')).not.toBe(sealed);
    expect(sealer.open(sealed)).toBe('{"app_private_key":"MIIEvQ…"}');
  });

  it('opens the same sealed settings again (kept opened), each new seal to its own settings, and a tampered one never', () => {
    const sealer = new SecretSealer(randomBytes(32));
    const first = sealer.seal('{"mch_id":"1900000109"}');
    expect(sealer.open(first)).toBe('{"mch_id":"1900000109"}');
    expect(sealer.open(first)).toBe('{"mch_id":"1900000109"}');
    const changed = sealer.seal('{"mch_id":"1900000110"}');
    expect(sealer.open(changed)).toBe('{"mch_id":"1900000110"}');
    expect(sealer.open(first)).toBe('{"mch_id":"1900000109"}');
    const raw = Buffer.from(changed.slice('sealed:v1:'.length), 'base64');
    raw[raw.length - 1]! ^= 1;
    expect(() => sealer.open(`sealed:v1:${raw.toString('base64')}`)).toThrow(/cannot be opened/);
    expect(() => new SecretSealer(randomBytes(32)).open(first)).toThrow(/cannot be opened/);
  });

  it('refuses a tampered value and another key with a message that says which key to use', () => {
    const sealer = new SecretSealer(randomBytes(32));
    const sealed = sealer.seal('{"k":"v"}');
    const raw = Buffer.from(sealed.slice('sealed:v1:'.length), 'base64');
    raw[raw.length - 1] ^= 1;
    expect(() => sealer.open(`sealed:v1:${raw.toString('base64')}`)).toThrow(/SPAY_SECRET_KEY/);
    expect(() => new SecretSealer(randomBytes(32)).open(sealed)).toThrow(/not the key they were sealed with/);
  });

  it('reads settings stored before sealing as they are', () => {
    expect(new SecretSealer(randomBytes(32)).open('{"ALI":{}}')).toBe('{"ALI":{}}');
  });
});

describe('the secret key', () => {
  it('comes from SPAY_SECRET_KEY as 64 hex characters or base64, anything else is refused', () => {
    const key = randomBytes(32);
    expect(parseSecretKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretKey(key.toString('base64'))).toEqual(key);
    expect(() => parseSecretKey('short')).toThrow(/64 hex characters or base64/);
    expect(() => parseSecretKey(randomBytes(16).toString('hex'))).toThrow(/SPAY_SECRET_KEY/);
  });

  it('is generated once into the data dir, readable by its owner only, with a warning, and reused', async () => {
    const dir = await tempDir();
    const warnings: string[] = [];
    const first = loadSecretKey(dir, {}, (message) => warnings.push(message));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('SPAY_SECRET_KEY is not set');
    expect((await stat(join(dir, 'secret.key'))).mode & 0o777).toBe(0o600);
    expect((await readFile(join(dir, 'secret.key'), 'utf8')).trim()).toBe(first.toString('hex'));
    expect(loadSecretKey(dir, {}, (message) => warnings.push(message))).toEqual(first);
    expect(warnings).toHaveLength(1);
  });
});

describe('channel settings at rest', () => {
  it('are sealed in the database file and opened only with the same key', async () => {
    const dir = await tempDir();
    const key = randomBytes(32);
    const seed = testApp({ channelSettings: { ALI: { app_private_key: 'PRIVATE-KEY-MATERIAL' } } });
    const store = await openSqliteStore(dir, {}, new SecretSealer(key));
    await store.apps.seedApp(seed);
    await store.apps.updateApp(seed.appId, {
      channelSettings: { ALI: { app_private_key: 'PRIVATE-KEY-MATERIAL' }, UN: { private_key: 'UN-KEY' } },
    });
    await store.close();

    const sqlite = new Database(join(dir, 'gateway.sqlite'), { readonly: true });
    const row = sqlite.prepare('SELECT channel_settings FROM apps WHERE app_id = ?').get(seed.appId) as {
      channel_settings: string;
    };
    sqlite.close();
    expect(row.channel_settings.startsWith('sealed:v1:')).toBe(true);
    expect(row.channel_settings).not.toContain('PRIVATE-KEY-MATERIAL');
    expect(row.channel_settings).not.toContain('UN-KEY');

    const reopened = await openSqliteStore(dir, {}, new SecretSealer(key));
    expect((await reopened.apps.findApp(seed.appId))?.channelSettings).toEqual({
      ALI: { app_private_key: 'PRIVATE-KEY-MATERIAL' },
      UN: { private_key: 'UN-KEY' },
    });
    await reopened.close();

    const wrongKey = await openSqliteStore(dir, {}, new SecretSealer(randomBytes(32)));
    await expect(wrongKey.apps.findApp(seed.appId)).rejects.toThrow(/SPAY_SECRET_KEY/);
    await wrongKey.close();
  });
});
