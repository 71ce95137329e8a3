/**
 * The merchant's signing material (from a `.pfx` or from PEM) and the check of the certificate UnionPay sends in
 * `signPubKeyCert`: issued by the configured middle certificate, which is issued by the configured root, all within
 * their validity dates, and naming UnionPay (the third `@` part of its CN) before its key is trusted.
 *
 * node:crypto cannot open PKCS#12, so a `.pfx` is read with node-forge once, when the settings are entered; what
 * is stored and used afterwards is the PEM it contained.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import type forge from 'node-forge';
import { lazyModule } from '../../lazy-module.ts';

/** `node-forge`, loaded when a `.pfx` is read. */
const loadForge = lazyModule<typeof forge>('node-forge');

/** UnionPay's company name, the third `@` part of its signing certificate's CN in production. */
export const unionpayCompanyName = '中国银联股份有限公司';

export interface SigningMaterial {
  privateKeyPem: string;
  certificatePem: string;
}

/** Reads the first private key and the certificate that matches it from a base64 `.pfx`. */
export function readPfx(pfxBase64: string, password: string): SigningMaterial {
  const forge = loadForge();
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    const der = forge.util.decode64(pfxBase64.replace(/\s+/g, ''));
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der), password);
  } catch (error) {
    const reason =
      error instanceof Error && /mac|password/i.test(error.message) ? 'wrong password' : 'not a PKCS#12 file';
    throw new Error(`the .pfx cannot be opened (${reason})`);
  }
  const keyBags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag] ??
      []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag })[forge.pki.oids.keyBag] ?? []),
  ];
  const key = keyBags.find((bag) => bag.key)?.key;
  if (!key) throw new Error('the .pfx holds no private key');
  const privateKeyPem = forge.pki.privateKeyToPem(key);
  const certificates = (p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag] ?? [])
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined)
    .map((cert) => forge.pki.certificateToPem(cert));
  const privateKey = createPrivateKey(privateKeyPem);
  const certificatePem = certificates.find((pem) => new X509Certificate(pem).checkPrivateKey(privateKey));
  if (!certificatePem) throw new Error('the .pfx holds no certificate for its private key');
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), certificatePem };
}

/** ACP `certId`: the certificate serial number in decimal. */
export function certIdOf(certificate: X509Certificate): string {
  return BigInt(`0x${certificate.serialNumber}`).toString(10);
}

/** The CN of a certificate subject (node prints one `KEY=value` per line). */
export function commonNameOf(certificate: X509Certificate): string | null {
  const line = certificate.subject.split('\n').find((entry) => entry.startsWith('CN='));
  return line ? line.slice(3) : null;
}

/** What UnionPay's SDKs compare with the company name: the third `@`-separated part of the CN. */
export function signerIdentityOf(certificate: X509Certificate): string | null {
  const cn = commonNameOf(certificate);
  const parts = cn?.split('@') ?? [];
  return parts.length > 2 ? parts[2] : null;
}

function withinValidity(certificate: X509Certificate, now: number): boolean {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  return Number.isFinite(from) && Number.isFinite(to) && from <= now && now <= to;
}

function issuedBy(child: X509Certificate, parent: X509Certificate): boolean {
  return child.checkIssued(parent) && child.verify(parent.publicKey);
}

export interface TrustAnchors {
  root: X509Certificate;
  middle: X509Certificate;
  /** The expected third `@` part of the signer's CN: UnionPay's company name, or `00040000:SIGN` in its test environment. */
  expectedSignerIdentity: string;
}

/** Checks the root → middle chain itself (when the settings are entered). Throws a message naming what is wrong. */
export function checkAnchors(root: X509Certificate, middle: X509Certificate, now: number): void {
  if (!root.ca) throw new Error('the root certificate is not a CA certificate');
  if (!issuedBy(root, root)) throw new Error('the root certificate is not self-signed');
  if (!middle.ca) throw new Error('the middle certificate is not a CA certificate');
  if (!issuedBy(middle, root))
    throw new Error('the middle certificate is not issued by the root certificate');
  if (!withinValidity(root, now)) throw new Error('the root certificate is outside its validity dates');
  if (!withinValidity(middle, now)) throw new Error('the middle certificate is outside its validity dates');
}

export type SignerCheck =
  { ok: true; publicKey: KeyObject; certificate: X509Certificate } | { ok: false; reason: string };

/** Checks a `signPubKeyCert` PEM against the anchors at `now`; on success gives the key to verify the message with. */
export function checkSignerCertificate(
  pem: string | undefined,
  anchors: TrustAnchors,
  now: number,
): SignerCheck {
  if (!pem) return { ok: false, reason: 'signPubKeyCert is missing' };
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(pem);
  } catch {
    return { ok: false, reason: 'signPubKeyCert is not a certificate' };
  }
  if (!issuedBy(certificate, anchors.middle)) {
    return { ok: false, reason: 'signPubKeyCert is not issued by the configured middle certificate' };
  }
  if (!issuedBy(anchors.middle, anchors.root)) {
    return { ok: false, reason: 'the middle certificate is not issued by the configured root certificate' };
  }
  if (!withinValidity(certificate, now))
    return { ok: false, reason: 'signPubKeyCert is outside its validity dates' };
  if (!withinValidity(anchors.middle, now) || !withinValidity(anchors.root, now)) {
    return { ok: false, reason: 'a configured UnionPay certificate is outside its validity dates' };
  }
  const identity = signerIdentityOf(certificate);
  if (identity !== anchors.expectedSignerIdentity) {
    return { ok: false, reason: `signPubKeyCert does not name ${anchors.expectedSignerIdentity}` };
  }
  return { ok: true, publicKey: certificate.publicKey, certificate };
}
