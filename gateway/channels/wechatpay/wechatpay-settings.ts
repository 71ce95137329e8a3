/**
 * A WeChat Pay merchant's settings for one app: what the merchant enters (snake_case JSON, PEM strings), checked
 * so that a mistake is named by its field when it is set, not when the first payer shows up.
 */
import { X509Certificate, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { ChannelSettingsError } from '../channel.ts';
import { certificateSerial, normalizeSerial, publicKeyIdPrefix } from './wechatpay-crypto.ts';

export const defaultApiBaseUrl = 'https://api.mch.weixin.qq.com';
export const defaultOauthBaseUrl = 'https://open.weixin.qq.com';
export const defaultSnsApiBaseUrl = 'https://api.weixin.qq.com';

/** What the gateway stores (encrypted at rest). */
export interface WechatpaySettings {
  /** 商户号 */
  mchid: string;
  /** The official account / mini program appid the payments are made under. */
  appid: string;
  /** The merchant API private key (apiclient_key.pem), PKCS#8 or PKCS#1 PEM. */
  merchant_private_key: string;
  /** The serial of the merchant API certificate (upper-case hex). */
  merchant_serial_no: string;
  /** The APIv3 key: 32 bytes of ASCII, decrypts notify resources. */
  apiv3_key: string;
  /** WeChat Pay platform certificates (PEM); their serials pick them. Empty when the merchant uses the public key. */
  platform_certificates: string[];
  /** The WeChat Pay public key (PEM) and its id `PUB_KEY_ID_…`; null when the merchant uses platform certificates. */
  wechatpay_public_key: string | null;
  wechatpay_public_key_id: string | null;
  /** The official account's AppSecret, for the OAuth step that finds a payer's openid (JSAPI); optional. */
  app_secret: string | null;
  api_base_url: string;
  /** Where WeChat's OAuth authorize page is (open.weixin.qq.com) and its token API (api.weixin.qq.com). */
  oauth_base_url: string;
  sns_api_base_url: string;
}

/** The parsed keys an adapter works with. */
export interface WechatpayKeys {
  merchantPrivateKey: KeyObject;
  platformKeys: Map<string, KeyObject>;
  publicKey: { id: string; key: KeyObject } | null;
  apiv3Key: Buffer;
}

function record(input: unknown): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ChannelSettingsError('settings', 'must be a JSON object');
  }
  return input as Record<string, unknown>;
}

function requiredString(input: Record<string, unknown>, field: string): string {
  const value = input[field];
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ChannelSettingsError(field, 'is required (a non-empty string)');
  }
  return value.trim();
}

function optionalString(input: Record<string, unknown>, field: string): string | null {
  const value = input[field];
  if (value === undefined || value === null || value === '') return null;
  if (typeof value !== 'string') throw new ChannelSettingsError(field, 'must be a string');
  return value.trim();
}

function baseUrl(input: Record<string, unknown>, field: string, fallback: string): string {
  const value = optionalString(input, field) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ChannelSettingsError(field, `is not a URL: ${value}`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ChannelSettingsError(field, 'must be an http(s) URL');
  }
  if (url.search || url.hash) throw new ChannelSettingsError(field, 'must not carry a query or fragment');
  return value.replace(/\/+$/, '');
}

function parsePrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new ChannelSettingsError('merchant_private_key', 'does not parse as a PEM private key');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw new ChannelSettingsError('merchant_private_key', 'is not an RSA key');
  }
  return key;
}

function parseCertificate(field: string, pem: string): X509Certificate {
  try {
    return new X509Certificate(pem);
  } catch {
    throw new ChannelSettingsError(field, 'does not parse as a PEM X.509 certificate');
  }
}

function certificateList(input: Record<string, unknown>): string[] {
  const value = input.platform_certificates;
  if (value === undefined || value === null || value === '') return [];
  const list = typeof value === 'string' ? splitPems(value) : value;
  if (!Array.isArray(list) || list.some((item) => typeof item !== 'string')) {
    throw new ChannelSettingsError('platform_certificates', 'must be a PEM string or a list of PEM strings');
  }
  return (list as string[]).map((pem) => pem.trim()).filter((pem) => pem !== '');
}

function splitPems(text: string): string[] {
  return text.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [text];
}

export function parseWechatpaySettings(input: unknown): WechatpaySettings {
  const fields = record(input);
  const mchid = requiredString(fields, 'mchid');
  if (!/^\d{6,32}$/.test(mchid)) throw new ChannelSettingsError('mchid', 'must be the digits of the 商户号');
  const appid = requiredString(fields, 'appid');
  if (!/^[0-9A-Za-z_]{6,32}$/.test(appid)) throw new ChannelSettingsError('appid', 'is not an appid (wx…)');

  const merchantPrivateKeyPem = requiredString(fields, 'merchant_private_key');
  const privateKey = parsePrivateKey(merchantPrivateKeyPem);
  const merchantSerial = requiredString(fields, 'merchant_serial_no');
  if (!/^[0-9A-Fa-f]{1,64}$/.test(merchantSerial)) {
    throw new ChannelSettingsError(
      'merchant_serial_no',
      'must be the hex serial of the merchant API certificate',
    );
  }
  const merchantCertificatePem = optionalString(fields, 'merchant_certificate');
  if (merchantCertificatePem) {
    const certificate = parseCertificate('merchant_certificate', merchantCertificatePem);
    if (certificateSerial(certificate) !== normalizeSerial(merchantSerial)) {
      throw new ChannelSettingsError('merchant_serial_no', 'is not the serial of merchant_certificate');
    }
    if (!certificate.checkPrivateKey(privateKey)) {
      throw new ChannelSettingsError('merchant_private_key', 'does not match merchant_certificate');
    }
  }

  const apiv3Key = requiredString(fields, 'apiv3_key');
  if (Buffer.byteLength(apiv3Key, 'utf8') !== 32 || !/^[\x21-\x7e]+$/.test(apiv3Key)) {
    throw new ChannelSettingsError('apiv3_key', 'must be the 32-character APIv3 key');
  }

  const platformCertificates = certificateList(fields);
  for (const pem of platformCertificates) {
    const certificate = parseCertificate('platform_certificates', pem);
    if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
      throw new ChannelSettingsError('platform_certificates', 'holds a certificate without an RSA key');
    }
  }

  const publicKeyPem = optionalString(fields, 'wechatpay_public_key');
  const publicKeyId = optionalString(fields, 'wechatpay_public_key_id');
  if (publicKeyPem || publicKeyId) {
    if (!publicKeyPem) throw new ChannelSettingsError('wechatpay_public_key', 'is required with its id');
    if (!publicKeyId) throw new ChannelSettingsError('wechatpay_public_key_id', 'is required with the key');
    if (!publicKeyId.startsWith(publicKeyIdPrefix) || !/^[0-9A-Za-z_]+$/.test(publicKeyId)) {
      throw new ChannelSettingsError('wechatpay_public_key_id', `must start with ${publicKeyIdPrefix}`);
    }
    let key: KeyObject;
    try {
      key = createPublicKey(publicKeyPem);
    } catch {
      throw new ChannelSettingsError('wechatpay_public_key', 'does not parse as a PEM public key');
    }
    if (key.asymmetricKeyType !== 'rsa') {
      throw new ChannelSettingsError('wechatpay_public_key', 'is not an RSA key');
    }
  }
  if (platformCertificates.length === 0 && !publicKeyPem) {
    throw new ChannelSettingsError(
      'wechatpay_public_key',
      'give the WeChat Pay public key and its id, or platform_certificates, to verify WeChat Pay’s signatures',
    );
  }

  return {
    mchid,
    appid,
    merchant_private_key: merchantPrivateKeyPem,
    // Sent as the merchant entered it (upper case): WeChat knows the serial by its full text.
    merchant_serial_no: merchantSerial.toUpperCase(),
    apiv3_key: apiv3Key,
    platform_certificates: platformCertificates,
    wechatpay_public_key: publicKeyPem,
    wechatpay_public_key_id: publicKeyId,
    app_secret: optionalString(fields, 'app_secret'),
    api_base_url: baseUrl(fields, 'api_base_url', defaultApiBaseUrl),
    oauth_base_url: baseUrl(fields, 'oauth_base_url', defaultOauthBaseUrl),
    sns_api_base_url: baseUrl(fields, 'sns_api_base_url', defaultSnsApiBaseUrl),
  };
}

const mask = '••••';

export function maskWechatpaySettings(settings: WechatpaySettings): Record<string, unknown> {
  return {
    mchid: settings.mchid,
    appid: settings.appid,
    merchant_private_key: mask,
    merchant_serial_no: settings.merchant_serial_no,
    apiv3_key: mask,
    platform_certificates: settings.platform_certificates.map((pem) => {
      const certificate = new X509Certificate(pem);
      return {
        serial_no: certificateSerial(certificate),
        subject: certificate.subject,
        valid_to: certificate.validTo,
      };
    }),
    wechatpay_public_key: settings.wechatpay_public_key,
    wechatpay_public_key_id: settings.wechatpay_public_key_id,
    app_secret: settings.app_secret ? mask : null,
    api_base_url: settings.api_base_url,
    oauth_base_url: settings.oauth_base_url,
    sns_api_base_url: settings.sns_api_base_url,
  };
}

export function wechatpayKeys(settings: WechatpaySettings): WechatpayKeys {
  const platformKeys = new Map<string, KeyObject>();
  for (const pem of settings.platform_certificates) {
    const certificate = new X509Certificate(pem);
    platformKeys.set(certificateSerial(certificate), certificate.publicKey);
  }
  return {
    merchantPrivateKey: createPrivateKey(settings.merchant_private_key),
    platformKeys,
    publicKey:
      settings.wechatpay_public_key && settings.wechatpay_public_key_id
        ? { id: settings.wechatpay_public_key_id, key: createPublicKey(settings.wechatpay_public_key) }
        : null,
    apiv3Key: Buffer.from(settings.apiv3_key, 'utf8'),
  };
}
