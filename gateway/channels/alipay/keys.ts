/**
 * Keys and certificates as merchants get them from Alipay's open platform: RSA2 keys as PEM (PKCS#1 or PKCS#8) or
 * the bare base64 the key tool shows; certificates as PEM (`appCertPublicKey_….crt`, `alipayCertPublicKey_RSA2.crt`,
 * `alipayRootCert.crt`, the last one a bundle of several roots). Certificate serial numbers (`app_cert_sn`,
 * `alipay_root_cert_sn`) are derived here as Alipay's SDKs derive them.
 */
import { createHash, createPrivateKey, createPublicKey, KeyObject, X509Certificate } from 'node:crypto';

/** Parses an RSA private key: PEM (PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`) or bare base64 DER. */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.startsWith('-----BEGIN')) {
    key = createPrivateKey({ key: trimmed, format: 'pem' });
  } else {
    const der = bareBase64(trimmed);
    try {
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
    } catch {
      key = createPrivateKey({ key: der, format: 'der', type: 'pkcs1' });
    }
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new Error(`is a ${key.asymmetricKeyType} key, RSA2 needs an RSA key`);
  return key;
}

/** Parses an RSA public key: PEM (`PUBLIC KEY` or `RSA PUBLIC KEY`) or bare base64 SPKI DER. */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  let key: KeyObject;
  if (trimmed.startsWith('-----BEGIN')) {
    key = createPublicKey({ key: trimmed, format: 'pem' });
  } else {
    const der = bareBase64(trimmed);
    try {
      key = createPublicKey({ key: der, format: 'der', type: 'spki' });
    } catch {
      key = createPublicKey({ key: der, format: 'der', type: 'pkcs1' });
    }
  }
  if (key.asymmetricKeyType !== 'rsa')
    throw new Error(`is a ${key.asymmetricKeyType} key, RSA2 needs an RSA key`);
  return key;
}

function bareBase64(text: string): Buffer {
  const compact = text.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) throw new Error('is neither a PEM block nor base64');
  return Buffer.from(compact, 'base64');
}

export const pkcs8Pem = (key: KeyObject): string =>
  (key.export({ type: 'pkcs8', format: 'pem' }) as string).trim();
export const spkiPem = (key: KeyObject): string =>
  (key.export({ type: 'spki', format: 'pem' }) as string).trim();

/** Whether a private key and a public key form one pair. */
export function keysMatch(privateKey: KeyObject, publicKey: KeyObject): boolean {
  const fromPrivate = createPublicKey(privateKey).export({ type: 'spki', format: 'der' });
  return fromPrivate.equals(publicKey.export({ type: 'spki', format: 'der' }));
}

/** Every certificate in a PEM text, in file order. */
export function parseCertificates(text: string): X509Certificate[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new X509Certificate(block));
}

/**
 * The issuer's distinguished name as Alipay's SDKs format it for the SN: Java's `X500Principal.getName()` (RFC 2253),
 * i.e. the RDNs from last to first joined with `,` (`CN=…,OU=…,O=…,C=CN`).
 */
export function issuerPrincipalName(cert: X509Certificate): string {
  return cert.issuer
    .split('\n')
    .filter((line) => line !== '')
    .reverse()
    .join(',');
}

/** `app_cert_sn` / the Alipay public certificate's SN: md5 hex of (issuer DN + serial number in decimal). */
export function certificateSn(cert: X509Certificate): string {
  const serialDecimal = BigInt(`0x${cert.serialNumber}`).toString(10);
  return createHash('md5')
    .update(issuerPrincipalName(cert) + serialDecimal, 'utf8')
    .digest('hex');
}

/** Signature algorithms of the RSA family (sha1WithRSA, sha256WithRSA, …): OID 1.2.840.113549.1.1.*. */
const rsaSignatureOidPrefix = '1.2.840.113549.1.1.';

/**
 * `alipay_root_cert_sn`: the SNs of the root bundle's RSA-signed certificates joined with `_` (Alipay's root file also
 * holds an SM2/ECC root, which is left out).
 */
export function rootCertificateSn(bundle: X509Certificate[]): string {
  return bundle
    .filter((cert) => signatureAlgorithmOid(cert).startsWith(rsaSignatureOidPrefix))
    .map(certificateSn)
    .join('_');
}

/**
 * The certificate's signatureAlgorithm OID, read from its DER (node:crypto does not expose it):
 * Certificate ::= SEQUENCE { tbsCertificate SEQUENCE, signatureAlgorithm SEQUENCE { OID, … }, signature BIT STRING }.
 */
export function signatureAlgorithmOid(cert: X509Certificate): string {
  const der = cert.raw;
  let offset = 0;
  const header = (): { length: number; start: number } => {
    offset += 1; // tag
    let length = der[offset++];
    if (length & 0x80) {
      const bytes = length & 0x7f;
      length = 0;
      for (let i = 0; i < bytes; i++) length = length * 256 + der[offset++];
    }
    return { length, start: offset };
  };
  header(); // Certificate
  const tbs = header();
  offset = tbs.start + tbs.length;
  header(); // signatureAlgorithm
  if (der[offset] !== 0x06) throw new Error('certificate has no signature algorithm OID');
  const oid = header();
  const bytes = der.subarray(oid.start, oid.start + oid.length);
  const parts = [Math.floor(bytes[0] / 40), bytes[0] % 40];
  let value = 0;
  for (const byte of bytes.subarray(1)) {
    value = value * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/**
 * Checks that the first certificate of `certs` (the leaf; Alipay's files may carry intermediates after it) chains,
 * through the other certificates given, to one of `roots`, every link signed by its issuer and valid at `now`.
 * Returns null when it does, or what is wrong.
 */
export function chainProblem(certs: X509Certificate[], roots: X509Certificate[], now: Date): string | null {
  const [leaf, ...intermediates] = certs;
  if (!leaf) return 'no certificate found';
  let current = leaf;
  for (let depth = 0; depth < 8; depth++) {
    if (new Date(current.validTo) < now)
      return `certificate "${current.subject.replaceAll('\n', ',')}" expired on ${current.validTo}`;
    if (new Date(current.validFrom) > now)
      return `certificate "${current.subject.replaceAll('\n', ',')}" is not valid before ${current.validFrom}`;
    const root = roots.find((r) => current.checkIssued(r) && current.verify(r.publicKey));
    if (root) return new Date(root.validTo) < now ? `root certificate expired on ${root.validTo}` : null;
    const issuer = intermediates.find(
      (c) => c !== current && current.checkIssued(c) && current.verify(c.publicKey),
    );
    if (!issuer)
      return `certificate "${current.subject.replaceAll('\n', ',')}" is not issued by the root certificate`;
    current = issuer;
  }
  return 'certificate chain is too long';
}
