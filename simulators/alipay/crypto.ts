/**
 * The simulator's side of Alipay's RSA2 protocol, written from the published rules (and independently of the
 * gateway's adapter and of alipay-sdk): the signed string, SHA256withRSA, certificate serial numbers, and a small
 * certificate authority standing in for Alipay's (root bundle, class 2 intermediate, Alipay's and the apps' public
 * key certificates).
 */
import {
  createHash,
  createPublicKey,
  createSign,
  createVerify,
  generateKeyPairSync,
  randomBytes,
  sign as rawSign,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import forge from 'node-forge';

/** Alipay's string to sign: non-empty params minus the excluded keys, sorted by key (ASCII), `k=v` joined by `&`. */
export function stringToSign(params: Record<string, string>, excluded: readonly string[]): string {
  const keys = Object.keys(params).filter((k) => !excluded.includes(k) && params[k] !== '');
  keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return keys.map((k) => `${k}=${params[k]}`).join('&');
}

export function rsa2Sign(text: string, privateKey: KeyObject | string): string {
  return createSign('RSA-SHA256').update(text, 'utf8').sign(privateKey, 'base64');
}

export function rsa2Verify(text: string, signature: string, publicKey: KeyObject | string): boolean {
  try {
    return createVerify('RSA-SHA256').update(text, 'utf8').verify(publicKey, signature, 'base64');
  } catch {
    return false;
  }
}

/** Parses a public key given as PEM or as the bare base64 SPKI Alipay's tools show. */
export function publicKeyFrom(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----')) return createPublicKey(trimmed);
  return createPublicKey({
    key: Buffer.from(trimmed.replace(/\s+/g, ''), 'base64'),
    format: 'der',
    type: 'spki',
  });
}

/** md5 hex of the issuer DN in RFC 2253 order (last RDN first, comma-joined) followed by the serial in decimal. */
export function certSn(certPem: string): string {
  const cert = new X509Certificate(certPem);
  const issuer = cert.issuer.split('\n').filter(Boolean).reverse().join(',');
  const serial = BigInt(`0x${cert.serialNumber}`).toString();
  return createHash('md5').update(`${issuer}${serial}`, 'utf8').digest('hex');
}

/** The root bundle's SN: the SNs of its RSA-signed certificates (OID 1.2.840.113549.1.1.*), `_`-joined. */
export function rootCertSn(bundlePem: string): string {
  const blocks = bundlePem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.filter(rsaSigned).map(certSn).join('_');
}

function derOf(pem: string): string {
  return Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64').toString('binary');
}

function rsaSigned(pem: string): boolean {
  // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm AlgorithmIdentifier, signature }
  const asn1 = forge.asn1.fromDer(derOf(pem));
  const algorithm = (asn1.value as forge.asn1.Asn1[])[1];
  const oid = forge.asn1.derToOid((algorithm.value as forge.asn1.Asn1[])[0].value as string);
  return oid.startsWith('1.2.840.113549.1.1.');
}

export interface RsaKeyPair {
  privateKey: string;
  publicKey: string;
}

export function newRsaKeyPair(): RsaKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return { privateKey: privateKey.trim(), publicKey: publicKey.trim() };
}

type Name = { shortName: string; value: string; valueTagClass?: number }[];

/** Names as UTF8String (forge's default, PrintableString, mangles Chinese names). */
const utf8Name = (name: Name): Name =>
  name.map((attribute) => ({
    ...attribute,
    valueTagClass: forge.asn1.Type.UTF8 as number,
  }));

interface Issued {
  pem: string;
  keys: RsaKeyPair;
  name: Name;
}

const year = 365 * 24 * 3600 * 1000;

function serial(): string {
  // Positive, 16 bytes, no leading zero byte.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x10;
  return bytes.toString('hex');
}

function issue(
  subjectKeys: RsaKeyPair,
  subject: Name,
  issuer: { name: Name; privateKey: string },
  ca: boolean,
  digest: 'sha1' | 'sha256',
): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(subjectKeys.publicKey);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + (ca ? 20 : 5) * year);
  cert.setSubject(utf8Name(subject));
  cert.setIssuer(utf8Name(issuer.name));
  cert.setExtensions(
    ca
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, keyEncipherment: true },
        ],
  );
  cert.sign(
    forge.pki.privateKeyFromPem(issuer.privateKey),
    (digest === 'sha1' ? forge.md.sha1 : forge.md.sha256).create(),
  );
  return forge.pki.certificateToPem(cert).trim();
}

/** A self-signed root whose signature is ECDSA, like the SM2/ECC root in Alipay's bundle (left out of the SN). */
function ecdsaSignedRoot(name: Name): string {
  const holder = newRsaKeyPair();
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(holder.publicKey);
  cert.serialNumber = serial();
  cert.validity.notBefore = new Date(Date.now() - 24 * 3600 * 1000);
  cert.validity.notAfter = new Date(Date.now() + 20 * year);
  cert.setSubject(utf8Name(name));
  cert.setIssuer(utf8Name(name));
  const ecdsaWithSha256 = '1.2.840.10045.4.3.2';
  const mutable = cert as unknown as {
    siginfo: { algorithmOid: string };
    signatureOid: string;
    tbsCertificate: unknown;
  };
  mutable.siginfo.algorithmOid = ecdsaWithSha256;
  mutable.signatureOid = ecdsaWithSha256;
  const tbs = (
    forge.pki as unknown as { getTBSCertificate(c: forge.pki.Certificate): forge.asn1.Asn1 }
  ).getTBSCertificate(cert);
  mutable.tbsCertificate = tbs;
  const der = Buffer.from(forge.asn1.toDer(tbs).getBytes(), 'binary');
  cert.signature = rawSign('sha256', der, ec.privateKey).toString('binary');
  return forge.pki.certificateToPem(cert).trim();
}

const dn = (ou: string, cn: string): Name => [
  { shortName: 'C', value: 'CN' },
  { shortName: 'O', value: 'Simulated Ant Financial' },
  { shortName: 'OU', value: ou },
  { shortName: 'CN', value: cn },
];

/** The simulator's stand-in for Alipay's certificate authority. */
export class SimulatedAlipayCa {
  /** alipayRootCert.crt: an RSA root (sha256), an older RSA root (sha1) and an ECDSA-signed root. */
  readonly rootBundle: string;
  private readonly root: Issued;
  private readonly intermediate: Issued;

  constructor() {
    const rootKeys = newRsaKeyPair();
    const rootName = dn('Certification Authority', 'Simulated Ant Financial Certification Authority R1');
    this.root = {
      keys: rootKeys,
      name: rootName,
      pem: issue(rootKeys, rootName, { name: rootName, privateKey: rootKeys.privateKey }, true, 'sha256'),
    };
    const legacyKeys = newRsaKeyPair();
    const legacyName = dn('Certification Authority', 'Simulated iTrusChina Class 2 Root CA - G3');
    const legacy = issue(
      legacyKeys,
      legacyName,
      { name: legacyName, privateKey: legacyKeys.privateKey },
      true,
      'sha1',
    );
    const ecc = ecdsaSignedRoot(
      dn('Certification Authority', 'Simulated Ant Financial Certification Authority E1'),
    );
    this.rootBundle = [this.root.pem, legacy, ecc].join('\n');
    const intermediateKeys = newRsaKeyPair();
    const intermediateName = dn(
      'Certification Authority',
      'Simulated Ant Financial Certification Authority Class 2 R1',
    );
    this.intermediate = {
      keys: intermediateKeys,
      name: intermediateName,
      pem: issue(
        intermediateKeys,
        intermediateName,
        { name: rootName, privateKey: rootKeys.privateKey },
        true,
        'sha256',
      ),
    };
  }

  /** A public key certificate file as Alipay hands it out: the leaf followed by the class 2 intermediate. */
  issueLeaf(publicKeyPem: string, organization: string, commonName: string): string {
    const leaf = issue(
      { publicKey: publicKeyPem, privateKey: '' },
      [
        { shortName: 'C', value: 'CN' },
        { shortName: 'O', value: organization },
        { shortName: 'OU', value: 'Alipay' },
        { shortName: 'CN', value: commonName },
      ],
      { name: this.intermediate.name, privateKey: this.intermediate.keys.privateKey },
      false,
      'sha256',
    );
    return `${leaf}\n${this.intermediate.pem}`;
  }
}
