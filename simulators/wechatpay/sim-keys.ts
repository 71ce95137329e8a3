/**
 * The simulator's own cryptography, written from WeChat Pay's published v3 protocol (independently of the
 * gateway's adapter): its platform certificate and WeChat Pay public key, answer/notify signing, the merchant
 * Authorization check, and AES-256-GCM encryption of notify resources.
 */
import {
  X509Certificate,
  createCipheriv,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';

export interface SigningKey {
  /** What `Wechatpay-Serial` carries: a certificate serial or a `PUB_KEY_ID_…`. */
  serial: string;
  privateKey: KeyObject;
}

export interface CertifiedKey {
  privateKey: KeyObject;
  privateKeyPem: string;
  publicKeyPem: string;
  certificatePem: string;
  serialNo: string;
}

function rsaKeyPair() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 });
}

/** A 20-byte positive serial in upper-case hex (no leading zero, as WeChat writes them). */
function serialHex(): string {
  const bytes = randomBytes(20);
  bytes[0] = 0x40 | (bytes[0] & 0x3f);
  return bytes.toString('hex').toUpperCase();
}

/** An RSA key with a self-signed X.509 certificate (the platform certificate, or a test merchant's API cert). */
export function certifiedKey(commonName: string, organization: string): CertifiedKey {
  const { privateKey, publicKey } = rsaKeyPair();
  const privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
  const serialNo = serialHex();
  certificate.serialNumber = serialNo.toLowerCase();
  const notBefore = new Date(Date.now() - 24 * 3_600_000);
  const notAfter = new Date(Date.now() + 5 * 365 * 24 * 3_600_000);
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = notAfter;
  const attributes = [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: organization },
    { shortName: 'OU', value: 'spay simulator' },
    { shortName: 'CN', value: commonName },
  ];
  certificate.setSubject(attributes);
  certificate.setIssuer(attributes);
  certificate.sign(forge.pki.privateKeyFromPem(privateKeyPem), forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(certificate);
  return { privateKey, privateKeyPem, publicKeyPem, certificatePem, serialNo };
}

/** A WeChat Pay public key (what merchants get since late 2024) and its id. */
export function wechatpayPublicKey(mchid: string): {
  id: string;
  privateKey: KeyObject;
  publicKeyPem: string;
} {
  const { privateKey, publicKey } = rsaKeyPair();
  const digits = Array.from(randomBytes(12), (byte) => String(byte % 10)).join('');
  return {
    id: `PUB_KEY_ID_01${mchid.padStart(10, '0').slice(-10)}${digits}`,
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** A key that signs nothing anyone trusts (the `bad_signature` fault). */
export function strangerKey(): KeyObject {
  return rsaKeyPair().privateKey;
}

export function serialOf(certificatePem: string): string {
  return new X509Certificate(certificatePem).serialNumber.toUpperCase().replace(/^0+(?=.)/, '');
}

export function publicKeyOf(pem: string): KeyObject {
  if (pem.includes('CERTIFICATE')) return new X509Certificate(pem).publicKey;
  return createPublicKey(pem);
}

export function rsaSign(message: string, key: KeyObject): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(key, 'base64');
}

export function rsaVerify(message: string, signature: string, key: KeyObject): boolean {
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(key, signature, 'base64');
  } catch {
    return false;
  }
}

/** The Wechatpay-* headers WeChat puts on every answer and notify. */
export function signatureHeaders(
  body: string,
  key: SigningKey,
  nowMs: number = Date.now(),
): Record<string, string> {
  const timestamp = String(Math.floor(nowMs / 1000));
  const nonce = randomBytes(16).toString('hex');
  return {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Serial': key.serial,
    'Wechatpay-Signature': rsaSign(`${timestamp}\n${nonce}\n${body}\n`, key.privateKey),
  };
}

export interface MerchantAuthorization {
  mchid: string;
  nonce: string;
  timestamp: string;
  serialNo: string;
  signature: string;
}

/** Parses `WECHATPAY2-SHA256-RSA2048 mchid="…",nonce_str="…",timestamp="…",serial_no="…",signature="…"`. */
export function parseAuthorization(header: string | undefined): MerchantAuthorization | null {
  if (!header) return null;
  const match = /^WECHATPAY2-SHA256-RSA2048\s+(.*)$/.exec(header.trim());
  if (!match) return null;
  const fields = new Map<string, string>();
  for (const part of match[1].matchAll(/(\w+)="([^"]*)"/g)) fields.set(part[1], part[2]);
  const mchid = fields.get('mchid');
  const nonce = fields.get('nonce_str');
  const timestamp = fields.get('timestamp');
  const serialNo = fields.get('serial_no');
  const signature = fields.get('signature');
  if (!mchid || !nonce || !timestamp || !serialNo || !signature) return null;
  return { mchid, nonce, timestamp, serialNo, signature };
}

/** AEAD_AES_256_GCM as WeChat encrypts a notify resource: base64(ciphertext ‖ 16-byte tag). */
export function encryptResource(
  plaintext: string,
  apiv3Key: string,
  associatedData: string,
): { algorithm: 'AEAD_AES_256_GCM'; ciphertext: string; associated_data: string; nonce: string } {
  const nonce = randomBytes(9).toString('base64url').slice(0, 12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(apiv3Key, 'utf8'), Buffer.from(nonce, 'utf8'));
  cipher.setAAD(Buffer.from(associatedData, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
  return {
    algorithm: 'AEAD_AES_256_GCM',
    ciphertext: ciphertext.toString('base64'),
    associated_data: associatedData,
    nonce,
  };
}

/** A random 32-character APIv3 key, as a merchant sets one in the merchant platform. */
export function newApiv3Key(): string {
  return randomBytes(24).toString('base64url').slice(0, 32);
}
