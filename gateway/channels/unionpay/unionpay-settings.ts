/**
 * A merchant's UnionPay settings, as entered (snake_case JSON) and as stored. The signing key comes either from the
 * `.pfx` CFCA issues (`signing_pfx` base64 + `signing_pfx_password`, read once with node-forge) or as PEM
 * (`private_key` + `certificate`). What is stored is always the PEM form, so the output of `parseUnionpaySettings`
 * is itself valid input (the pfx and its password are not kept).
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { ChannelSettingsError } from '../channel.ts';
import { certIdOf, checkAnchors, readPfx, unionpayCompanyName } from './acp-certificates.ts';

export const unionpayProductionBase = 'https://gateway.95516.com';

export interface UnionpaySettings {
  mer_id: string;
  /** PKCS#8 PEM of the merchant signing key. */
  private_key: string;
  /** PEM of the merchant signing certificate (its serial is `cert_id`). */
  certificate: string;
  /** Derived from `certificate`: its serial in decimal. */
  cert_id: string;
  root_certificate: string;
  middle_certificate: string;
  /** The third `@` part of UnionPay's signing certificate CN: its company name, or `00040000:SIGN` in its test environment. */
  expected_signer_cn: string;
  /** Where the payer's browser is sent (`{front_url}/gateway/api/frontTransReq.do`). */
  front_url: string;
  /** Where the back-end calls go (`{back_url}/gateway/api/queryTrans.do`, `backTransReq.do`). */
  back_url: string;
}

const knownFields = new Set([
  'mer_id',
  'signing_pfx',
  'signing_pfx_password',
  'private_key',
  'certificate',
  'cert_id',
  'root_certificate',
  'middle_certificate',
  'expected_signer_cn',
  'front_url',
  'back_url',
]);

function text(input: Record<string, unknown>, field: string, required: boolean): string | undefined {
  const value = input[field];
  if (value === undefined || value === null || value === '') {
    if (required) throw new ChannelSettingsError(field, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') throw new ChannelSettingsError(field, 'must be a string');
  return value;
}

function certificate(field: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new ChannelSettingsError(field, 'is not a PEM certificate');
  }
}

function baseUrl(field: string, value: string | undefined): string {
  const raw = value ?? unionpayProductionBase;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ChannelSettingsError(field, 'is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new ChannelSettingsError(field, 'must be an http(s) URL');
  if (url.search || url.hash || url.username || url.password) {
    throw new ChannelSettingsError(field, 'must be a base URL without query, fragment or credentials');
  }
  return url.toString().replace(/\/+$/, '');
}

export function parseUnionpaySettings(input: unknown, now: number = Date.now()): UnionpaySettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ChannelSettingsError('settings', 'must be a JSON object');
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!knownFields.has(key)) throw new ChannelSettingsError(key, 'is not a UnionPay setting');
  }
  const merId = text(record, 'mer_id', true)!;
  if (!/^\d{15}$/.test(merId))
    throw new ChannelSettingsError('mer_id', 'must be the 15-digit UnionPay merchant number');

  const pfx = text(record, 'signing_pfx', false);
  let privateKeyPem: string;
  let certificatePem: string;
  if (pfx !== undefined) {
    if (record.private_key !== undefined || record.certificate !== undefined) {
      throw new ChannelSettingsError(
        'signing_pfx',
        'give either signing_pfx or private_key + certificate, not both',
      );
    }
    const password = text(record, 'signing_pfx_password', false) ?? '';
    try {
      ({ privateKeyPem, certificatePem } = readPfx(pfx, password));
    } catch (error) {
      throw new ChannelSettingsError('signing_pfx', (error as Error).message);
    }
  } else {
    const keyText = text(record, 'private_key', true)!;
    let key: KeyObject;
    try {
      key = createPrivateKey(keyText);
    } catch {
      throw new ChannelSettingsError('private_key', 'is not a PEM private key');
    }
    if (key.asymmetricKeyType !== 'rsa') throw new ChannelSettingsError('private_key', 'must be an RSA key');
    privateKeyPem = key.export({ type: 'pkcs8', format: 'pem' }).toString();
    certificatePem = text(record, 'certificate', true)!;
  }
  const signingCertificate = certificate('certificate', certificatePem);
  const privateKey = createPrivateKey(privateKeyPem);
  if ((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
    throw new ChannelSettingsError(
      pfx ? 'signing_pfx' : 'private_key',
      'the RSA key must be at least 2048 bits',
    );
  }
  if (!signingCertificate.checkPrivateKey(privateKey)) {
    throw new ChannelSettingsError('certificate', 'does not match the private key');
  }
  if (Date.parse(signingCertificate.validTo) < now) {
    throw new ChannelSettingsError(
      pfx ? 'signing_pfx' : 'certificate',
      `the signing certificate expired on ${signingCertificate.validTo}`,
    );
  }

  const rootPem = text(record, 'root_certificate', true)!;
  const middlePem = text(record, 'middle_certificate', true)!;
  const root = certificate('root_certificate', rootPem);
  const middle = certificate('middle_certificate', middlePem);
  try {
    checkAnchors(root, middle, now);
  } catch (error) {
    const message = (error as Error).message;
    throw new ChannelSettingsError(
      message.includes('root certificate is') ? 'root_certificate' : 'middle_certificate',
      message,
    );
  }

  const expected = text(record, 'expected_signer_cn', false) ?? unionpayCompanyName;
  if (expected.includes('@') || expected.trim() !== expected) {
    throw new ChannelSettingsError(
      'expected_signer_cn',
      'is the company part of the CN only (no "@", no surrounding spaces)',
    );
  }
  return {
    mer_id: merId,
    private_key: privateKeyPem,
    certificate: signingCertificate.toString(),
    cert_id: certIdOf(signingCertificate),
    root_certificate: root.toString(),
    middle_certificate: middle.toString(),
    expected_signer_cn: expected,
    front_url: baseUrl('front_url', text(record, 'front_url', false)),
    back_url: baseUrl('back_url', text(record, 'back_url', false)),
  };
}

export function maskUnionpaySettings(settings: UnionpaySettings): Record<string, unknown> {
  const signing = new X509Certificate(settings.certificate);
  const middle = new X509Certificate(settings.middle_certificate);
  const root = new X509Certificate(settings.root_certificate);
  return {
    mer_id: settings.mer_id,
    private_key: '••••',
    cert_id: settings.cert_id,
    certificate: { subject: signing.subject, expires: signing.validTo },
    root_certificate: { subject: root.subject, expires: root.validTo },
    middle_certificate: { subject: middle.subject, expires: middle.validTo },
    expected_signer_cn: settings.expected_signer_cn,
    front_url: settings.front_url,
    back_url: settings.back_url,
  };
}
