/**
 * WeChat Pay API v3 cryptography on node:crypto: the signed message strings, SHA256withRSA signing and
 * verification, the `WECHATPAY2-SHA256-RSA2048` Authorization header, AEAD_AES_256_GCM decryption of notify
 * resources, and the serial / public-key id rules that pick the key an answer or a notify was signed with.
 */
import {
  createDecipheriv,
  createSign,
  createVerify,
  randomBytes,
  type KeyObject,
  type X509Certificate,
} from 'node:crypto';

export const authorizationScheme = 'WECHATPAY2-SHA256-RSA2048';
/** WeChat refuses (and so do we) signed messages whose timestamp is further than this from now. */
export const maxClockSkewSeconds = 300;
/** Ids of WeChat Pay public keys (what merchants get since late 2024) start with this; certificate serials are hex. */
export const publicKeyIdPrefix = 'PUB_KEY_ID_';

/** What a merchant signs for an API request: `METHOD\nPATH?QUERY\ntimestamp\nnonce\nbody\n`. */
export function requestMessage(
  method: string,
  pathWithQuery: string,
  timestamp: string,
  nonce: string,
  body: string,
): string {
  return `${method}\n${pathWithQuery}\n${timestamp}\n${nonce}\n${body}\n`;
}

/** What WeChat signs for an answer or a notify: `timestamp\nnonce\nbody\n`. */
export function responseMessage(timestamp: string, nonce: string, body: string): string {
  return `${timestamp}\n${nonce}\n${body}\n`;
}

/** What the merchant signs for getBrandWCPayRequest (signType RSA): `appId\ntimeStamp\nnonceStr\npackage\n`. */
export function jsapiPayMessage(appId: string, timeStamp: string, nonceStr: string, pkg: string): string {
  return `${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`;
}

/** SHA256withRSA (PKCS#1 v1.5) over the UTF-8 message, base64. */
export function signSha256Rsa(message: string, privateKey: KeyObject): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(privateKey, 'base64');
}

export function verifySha256Rsa(message: string, signature: string, publicKey: KeyObject): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signature)) return false;
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** 32 characters of [0-9A-Z], as WeChat's own SDKs make nonces. */
export function newNonce(): string {
  const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const bytes = randomBytes(32);
  let nonce = '';
  for (const byte of bytes) nonce += alphabet[byte % alphabet.length];
  return nonce;
}

export interface AuthorizationParts {
  mchid: string;
  nonce: string;
  timestamp: string;
  serialNo: string;
  signature: string;
}

export function authorizationHeader(parts: AuthorizationParts): string {
  return (
    `${authorizationScheme} mchid="${parts.mchid}",nonce_str="${parts.nonce}",` +
    `timestamp="${parts.timestamp}",serial_no="${parts.serialNo}",signature="${parts.signature}"`
  );
}

/** Signs one API request and returns its Authorization header value. */
export function signRequest(
  request: { method: string; pathWithQuery: string; body: string },
  merchant: { mchid: string; serialNo: string; privateKey: KeyObject },
  nowSeconds: number,
  nonce: string = newNonce(),
): string {
  const timestamp = String(nowSeconds);
  const message = requestMessage(request.method, request.pathWithQuery, timestamp, nonce, request.body);
  return authorizationHeader({
    mchid: merchant.mchid,
    nonce,
    timestamp,
    serialNo: merchant.serialNo,
    signature: signSha256Rsa(message, merchant.privateKey),
  });
}

/** A certificate serial as WeChat writes it (`Wechatpay-Serial`): upper-case hex without leading zeros. */
export function normalizeSerial(serial: string): string {
  const upper = serial
    .trim()
    .toUpperCase()
    .replace(/^0+(?=.)/, '');
  return upper;
}

export function certificateSerial(certificate: X509Certificate): string {
  return normalizeSerial(certificate.serialNumber);
}

/** The keys that may sign WeChat Pay's answers and notifies for one merchant. */
export interface WechatpayVerifier {
  /** Platform certificates' public keys by normalized serial. */
  platformKeys: ReadonlyMap<string, KeyObject>;
  /** The WeChat Pay public key and its id (`PUB_KEY_ID_…`), when the merchant uses it. */
  publicKey: { id: string; key: KeyObject } | null;
}

/** The key `Wechatpay-Serial` names, or null when the merchant has none by that serial / id. */
export function keyForSerial(verifier: WechatpayVerifier, serial: string): KeyObject | null {
  const trimmed = serial.trim();
  if (trimmed.startsWith(publicKeyIdPrefix)) {
    return verifier.publicKey && verifier.publicKey.id === trimmed ? verifier.publicKey.key : null;
  }
  if (!/^[0-9A-Fa-f]{1,64}$/.test(trimmed)) return null;
  return verifier.platformKeys.get(normalizeSerial(trimmed)) ?? null;
}

export interface SignedHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
  serial: string;
}

/** Pulls the four Wechatpay-* headers out of a header map (any case); null when one is missing. */
export function signedHeaders(headers: Record<string, string | string[] | undefined>): SignedHeaders | null {
  const lower = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const text = Array.isArray(value) ? value[0] : value;
    if (typeof text === 'string') lower.set(name.toLowerCase(), text);
  }
  const timestamp = lower.get('wechatpay-timestamp');
  const nonce = lower.get('wechatpay-nonce');
  const signature = lower.get('wechatpay-signature');
  const serial = lower.get('wechatpay-serial');
  if (!timestamp || !nonce || !signature || !serial) return null;
  return { timestamp, nonce, signature, serial };
}

/** Why a signed answer or notify does not verify, or null when it does. */
export function verifySigned(
  verifier: WechatpayVerifier,
  signed: SignedHeaders,
  body: string,
  nowSeconds: number,
): string | null {
  if (!/^\d{1,12}$/.test(signed.timestamp)) return 'Wechatpay-Timestamp is not a Unix time';
  if (Math.abs(nowSeconds - Number(signed.timestamp)) > maxClockSkewSeconds) {
    return 'Wechatpay-Timestamp is more than 5 minutes away from now';
  }
  const key = keyForSerial(verifier, signed.serial);
  if (!key) return `no platform certificate or public key for Wechatpay-Serial ${signed.serial}`;
  if (!verifySha256Rsa(responseMessage(signed.timestamp, signed.nonce, body), signed.signature, key)) {
    return 'Wechatpay-Signature does not verify';
  }
  return null;
}

export interface EncryptedResource {
  algorithm: string;
  ciphertext: string;
  associated_data?: string;
  nonce: string;
}

/**
 * Decrypts a notify's `resource`: AES-256-GCM with the 32-byte APIv3 key, IV = nonce, AAD = associated_data,
 * the last 16 bytes of the base64 ciphertext are the tag. Throws when it does not authenticate.
 */
export function decryptResource(resource: EncryptedResource, apiv3Key: Buffer): string {
  if (resource.algorithm !== 'AEAD_AES_256_GCM') {
    throw new Error(`resource.algorithm ${resource.algorithm} is not AEAD_AES_256_GCM`);
  }
  if (apiv3Key.length !== 32) throw new Error('the APIv3 key is not 32 bytes');
  const data = Buffer.from(resource.ciphertext, 'base64');
  if (data.length <= 16) throw new Error('resource.ciphertext is too short');
  const tag = data.subarray(data.length - 16);
  const payload = data.subarray(0, data.length - 16);
  const decipher = createDecipheriv('aes-256-gcm', apiv3Key, Buffer.from(resource.nonce, 'utf8'), {
    authTagLength: 16,
  });
  decipher.setAuthTag(tag);
  decipher.setAAD(Buffer.from(resource.associated_data ?? '', 'utf8'));
  return Buffer.concat([decipher.update(payload), decipher.final()]).toString('utf8');
}
