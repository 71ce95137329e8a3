/**
 * Per-app Alipay settings as a merchant enters them (snake_case JSON) and as the gateway stores them. Validation
 * happens here, once, when they are set: keys parse, the private key belongs to the app's public key or certificate,
 * certificates chain to Alipay's root, URLs are URLs. Errors name the field.
 */
import type { X509Certificate } from 'node:crypto';
import { ChannelSettingsError } from '../channel.ts';
import {
  certificateSn,
  chainProblem,
  keysMatch,
  parseCertificates,
  parsePrivateKey,
  parsePublicKey,
  pkcs8Pem,
  rootCertificateSn,
  spkiPem,
} from './keys.ts';

export const alipayProductionGateway = 'https://openapi.alipay.com/gateway.do';

interface CommonSettings {
  /** The Alipay app id (APPID, 16 digits). */
  app_id: string;
  /** The app's RSA2 private key, normalised to PKCS#8 PEM. Secret. */
  app_private_key: string;
  /** Alipay's partner id (2088…), cross-checked against notifies when set. */
  seller_id: string | null;
  /** Alipay's OpenAPI gateway (`…/gateway.do`); the production one unless pointing at a sandbox or simulator. */
  gateway_url: string;
}

export interface AlipayPublicKeySettings extends CommonSettings {
  mode: 'public_key';
  /** Alipay's public key (SPKI PEM): verifies answers and notifies. */
  alipay_public_key: string;
}

export interface AlipayCertSettings extends CommonSettings {
  mode: 'cert';
  /** The app's public key certificate (appCertPublicKey_<appid>.crt), PEM, leaf first. */
  app_cert: string;
  /** Alipay's public key certificate (alipayCertPublicKey_RSA2.crt), PEM, leaf first. */
  alipay_public_cert: string;
  /** Alipay's root certificate bundle (alipayRootCert.crt), PEM. */
  alipay_root_cert: string;
  /** Derived: md5(issuer DN + decimal serial) of the app certificate. */
  app_cert_sn: string;
  /** Derived: the SN of Alipay's public certificate (answers carry it as alipay_cert_sn). */
  alipay_cert_sn: string;
  /** Derived: the RSA roots' SNs joined with `_`. */
  alipay_root_cert_sn: string;
}

export type AlipaySettings = AlipayPublicKeySettings | AlipayCertSettings;

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (value === undefined || value === null || value === '')
    throw new ChannelSettingsError(field, 'is required');
  if (typeof value !== 'string') throw new ChannelSettingsError(field, 'must be a string');
  return value.trim();
}

function optionalString(input: Record<string, unknown>, field: string): string | null {
  const value = input[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new ChannelSettingsError(field, 'must be a string');
  return value.trim();
}

function certificates(input: Record<string, unknown>, field: string): X509Certificate[] {
  const text = requiredString(input, field);
  let certs: X509Certificate[];
  try {
    certs = parseCertificates(text);
  } catch (error) {
    throw new ChannelSettingsError(
      field,
      `does not parse as a PEM certificate (${(error as Error).message})`,
    );
  }
  if (certs.length === 0)
    throw new ChannelSettingsError(field, 'holds no "-----BEGIN CERTIFICATE-----" block');
  return certs;
}

const knownFields = new Set([
  'app_id',
  'mode',
  'app_private_key',
  'alipay_public_key',
  'app_cert',
  'alipay_public_cert',
  'alipay_root_cert',
  'seller_id',
  'gateway_url',
  // Derived fields: present when stored settings are parsed again; recomputed.
  'app_cert_sn',
  'alipay_cert_sn',
  'alipay_root_cert_sn',
]);

export function parseAlipaySettings(input: unknown, now: Date = new Date()): AlipaySettings {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ChannelSettingsError('settings', 'must be a JSON object');
  }
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (!knownFields.has(key)) throw new ChannelSettingsError(key, 'is not an Alipay setting');
  }

  const appId = requiredString(record, 'app_id');
  if (!/^\d{16}$/.test(appId))
    throw new ChannelSettingsError('app_id', 'must be the 16-digit APPID of the Alipay app');

  const mode = record.mode ?? (record.app_cert !== undefined ? 'cert' : 'public_key');
  if (mode !== 'public_key' && mode !== 'cert') {
    throw new ChannelSettingsError('mode', 'must be "public_key" or "cert"');
  }

  let privateKey;
  try {
    privateKey = parsePrivateKey(requiredString(record, 'app_private_key'));
  } catch (error) {
    if (error instanceof ChannelSettingsError) throw error;
    throw new ChannelSettingsError(
      'app_private_key',
      `does not parse as an RSA private key (PKCS#1 or PKCS#8 PEM, or the bare base64 from Alipay's key tool): ${(error as Error).message}`,
    );
  }
  const modulusBits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (modulusBits < 2048)
    throw new ChannelSettingsError('app_private_key', `is ${modulusBits} bits; RSA2 needs 2048`);

  const sellerId = optionalString(record, 'seller_id');
  if (sellerId !== null && !/^2088\d{12}$/.test(sellerId)) {
    throw new ChannelSettingsError('seller_id', 'must be the 16-digit Alipay partner id starting with 2088');
  }

  const gatewayUrl = optionalString(record, 'gateway_url') ?? alipayProductionGateway;
  let parsedUrl: URL;
  try {
    parsedUrl = new URL(gatewayUrl);
  } catch {
    throw new ChannelSettingsError('gateway_url', 'is not a URL');
  }
  if (parsedUrl.protocol !== 'https:' && parsedUrl.protocol !== 'http:') {
    throw new ChannelSettingsError('gateway_url', 'must be an http(s) URL');
  }
  if (parsedUrl.search || parsedUrl.hash || parsedUrl.username || parsedUrl.password) {
    throw new ChannelSettingsError(
      'gateway_url',
      'must be a plain URL without query, fragment or credentials',
    );
  }

  const common = {
    app_id: appId,
    app_private_key: pkcs8Pem(privateKey),
    seller_id: sellerId,
    gateway_url: parsedUrl.toString(),
  };

  if (mode === 'public_key') {
    for (const field of ['app_cert', 'alipay_public_cert', 'alipay_root_cert'] as const) {
      if (optionalString(record, field) !== null) {
        throw new ChannelSettingsError(
          field,
          'belongs to certificate mode; set mode to "cert" or leave it out',
        );
      }
    }
    let alipayPublicKey;
    try {
      alipayPublicKey = parsePublicKey(requiredString(record, 'alipay_public_key'));
    } catch (error) {
      if (error instanceof ChannelSettingsError) throw error;
      throw new ChannelSettingsError(
        'alipay_public_key',
        `does not parse as an RSA public key (PEM or bare base64): ${(error as Error).message}`,
      );
    }
    if (keysMatch(privateKey, alipayPublicKey)) {
      throw new ChannelSettingsError(
        'alipay_public_key',
        "is the app's own public key; paste the Alipay public key (支付宝公钥) shown after uploading yours",
      );
    }
    return { ...common, mode: 'public_key', alipay_public_key: spkiPem(alipayPublicKey) };
  }

  if (optionalString(record, 'alipay_public_key') !== null) {
    throw new ChannelSettingsError(
      'alipay_public_key',
      "belongs to public-key mode; in certificate mode Alipay's key comes from alipay_public_cert",
    );
  }
  const appCerts = certificates(record, 'app_cert');
  const alipayCerts = certificates(record, 'alipay_public_cert');
  const roots = certificates(record, 'alipay_root_cert');
  if (!keysMatch(privateKey, appCerts[0].publicKey)) {
    throw new ChannelSettingsError('app_private_key', 'does not match the public key in app_cert');
  }
  if (
    appCerts[0].publicKey.asymmetricKeyType !== 'rsa' ||
    alipayCerts[0].publicKey.asymmetricKeyType !== 'rsa'
  ) {
    throw new ChannelSettingsError('alipay_public_cert', 'must hold an RSA public key');
  }
  const appProblem = chainProblem(appCerts, roots, now);
  if (appProblem) throw new ChannelSettingsError('app_cert', appProblem);
  const alipayProblem = chainProblem(alipayCerts, roots, now);
  if (alipayProblem) throw new ChannelSettingsError('alipay_public_cert', alipayProblem);
  const rootSn = rootCertificateSn(roots);
  if (rootSn === '')
    throw new ChannelSettingsError('alipay_root_cert', 'holds no RSA-signed root certificate');
  return {
    ...common,
    mode: 'cert',
    app_cert: appCerts.map((c) => c.toString().trim()).join('\n'),
    alipay_public_cert: alipayCerts.map((c) => c.toString().trim()).join('\n'),
    alipay_root_cert: roots.map((c) => c.toString().trim()).join('\n'),
    app_cert_sn: certificateSn(appCerts[0]),
    alipay_cert_sn: certificateSn(alipayCerts[0]),
    alipay_root_cert_sn: rootSn,
  };
}

const mask = '••••';

/** The settings without secrets: ids, URLs, serial numbers and certificate subjects/expiry stay. */
export function maskAlipaySettings(settings: AlipaySettings): Record<string, unknown> {
  const common = {
    app_id: settings.app_id,
    mode: settings.mode,
    app_private_key: mask,
    seller_id: settings.seller_id,
    gateway_url: settings.gateway_url,
  };
  if (settings.mode === 'public_key') return { ...common, alipay_public_key: settings.alipay_public_key };
  const describe = (pem: string) =>
    parseCertificates(pem).map((c) => ({
      subject: c.subject.split('\n').reverse().join(','),
      serial: c.serialNumber,
      valid_to: new Date(c.validTo).toISOString(),
    }));
  return {
    ...common,
    app_cert: describe(settings.app_cert),
    alipay_public_cert: describe(settings.alipay_public_cert),
    alipay_root_cert: describe(settings.alipay_root_cert),
    app_cert_sn: settings.app_cert_sn,
    alipay_cert_sn: settings.alipay_cert_sn,
    alipay_root_cert_sn: settings.alipay_root_cert_sn,
  };
}
