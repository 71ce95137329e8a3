/**
 * Channel keys at rest: an app's channel settings (private keys, certificates, the APIv3 key …) are sealed with
 * AES-256-GCM under the gateway's secret key before they reach the database, and opened only in memory. The key
 * comes from `SPAY_SECRET_KEY` (32 bytes as 64 hex characters or base64; the same on every instance of one
 * database) or, when unset, from `<dataDir>/secret.key`, generated on first start with a warning. Settings written
 * before sealing existed (plain JSON) are still read; they are sealed the next time they are saved.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const sealedPrefix = 'sealed:v1:';
/** Sealed texts kept opened (one per app and version of its settings; the oldest dropped first). */
const openedCapacity = 256;

export class SecretSealer {
  private readonly key: Buffer;
  private readonly opened = new Map<string, string>();

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('the secret key must be 32 bytes');
    this.key = Buffer.from(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return sealedPrefix + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
  }

  /** The plain text of a sealed value; a value stored before sealing is returned as it is. */
  open(stored: string): string {
    if (!stored.startsWith(sealedPrefix)) return stored;
    // Every REST request reads its app, channel settings included: the same sealed text opens to the same
    // settings under this key, so the last few opened are kept instead of deciphering them again.
    const known = this.opened.get(stored);
    if (known !== undefined) return known;
    const settings = this.decipher(stored);
    this.opened.set(stored, settings);
    if (this.opened.size > openedCapacity) this.opened.delete(this.opened.keys().next().value!);
    return settings;
  }

  private decipher(stored: string): string {
    const raw = Buffer.from(stored.slice(sealedPrefix.length), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    try {
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new Error(
        'stored channel settings cannot be opened: SPAY_SECRET_KEY (or data/secret.key) is not the key they were sealed with',
      );
    }
  }

  static isSealed(stored: string): boolean {
    return stored.startsWith(sealedPrefix);
  }
}

/** Reads `SPAY_SECRET_KEY`: 64 hex characters or the base64 of 32 bytes. */
export function parseSecretKey(text: string): Buffer {
  const trimmed = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]{43}=?$/.test(trimmed)) {
    const key = Buffer.from(trimmed, 'base64');
    if (key.length === 32) return key;
  }
  throw new Error('SPAY_SECRET_KEY must be 32 bytes written as 64 hex characters or base64');
}

/**
 * The gateway's secret key: `SPAY_SECRET_KEY`, else `<dataDir>/secret.key` (created, readable by its owner only,
 * with a warning, on first use).
 */
export function loadSecretKey(
  dataDir: string,
  env: NodeJS.ProcessEnv = process.env,
  warn: (message: string) => void = (message) => console.warn(message),
): Buffer {
  const fromEnv = env.SPAY_SECRET_KEY;
  if (fromEnv) return parseSecretKey(fromEnv);
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return parseSecretKey(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  warn(
    `spay: SPAY_SECRET_KEY is not set; generated ${file}. Channel keys are encrypted with it: keep it and back it up (several instances: set the same SPAY_SECRET_KEY on each).`,
  );
  return key;
}
