/**
 * The simulator's own certificate hierarchy, made at start so nothing depends on certificates UnionPay publishes:
 * root → middle → UnionPay signing certificate (the one whose PEM travels in `signPubKeyCert`), plus the two bad
 * signers the `expired_cert` and `wrong_chain` faults use, and a helper that makes a merchant signing certificate
 * with its `.pfx` for tests. Keys come from node:crypto; node-forge writes the X.509 and PKCS#12 structures.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import forge from 'node-forge';

/** UnionPay's signing certificates name the company in the third `@` part of the CN; the test environment uses `00040000:SIGN`. */
export const simulatorSignerCn = '041@Z12@00040000:SIGN@00000001';

export interface KeyedCertificate {
  privateKeyPem: string;
  certificatePem: string;
  /** The certificate serial in decimal, what ACP calls `certId`. */
  certId: string;
}

export interface UnionpayHierarchy {
  root: KeyedCertificate;
  middle: KeyedCertificate;
  /** Signs answers and notifies. */
  signer: KeyedCertificate;
  /** Same subject and issuer as `signer`, but it expired yesterday. */
  expiredSigner: KeyedCertificate;
  /** Same subject as `signer`, issued under a different root → middle pair with the same names. */
  wrongChainSigner: KeyedCertificate;
}

interface CertificateRequest {
  subjectCn: string;
  organization: string;
  issuer: KeyedCertificate | null;
  isCa: boolean;
  notBefore: Date;
  notAfter: Date;
}

const day = 24 * 60 * 60 * 1000;

function rsaKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return { privateKeyPem: privateKey, publicKeyPem: publicKey };
}

function nameAttributes(cn: string, organization: string): forge.pki.CertificateField[] {
  // UTF8String values (forge encodes them to UTF-8 itself); its typings declare valueTagClass as a tag class.
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  return [
    { shortName: 'C', value: 'CN' },
    { shortName: 'O', value: organization, valueTagClass: utf8 },
    { shortName: 'CN', value: cn, valueTagClass: utf8 },
  ];
}

function serialHex(): string {
  // Positive, 16 bytes.
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x10;
  return bytes.toString('hex');
}

function issueCertificate(request: CertificateRequest): KeyedCertificate {
  const keys = rsaKeyPair();
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(keys.publicKeyPem);
  certificate.serialNumber = serialHex();
  certificate.validity.notBefore = request.notBefore;
  certificate.validity.notAfter = request.notAfter;
  const subject = nameAttributes(request.subjectCn, request.organization);
  certificate.setSubject(subject);
  const issuerCertificate = request.issuer
    ? forge.pki.certificateFromPem(request.issuer.certificatePem)
    : null;
  certificate.setIssuer(issuerCertificate ? issuerCertificate.subject.attributes : subject);
  certificate.setExtensions(
    request.isCa
      ? [
          { name: 'basicConstraints', cA: true, critical: true },
          { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ]
      : [
          { name: 'basicConstraints', cA: false },
          { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
          { name: 'subjectKeyIdentifier' },
        ],
  );
  const signingKey = forge.pki.privateKeyFromPem(request.issuer?.privateKeyPem ?? keys.privateKeyPem);
  certificate.sign(signingKey, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(certificate);
  return {
    privateKeyPem: keys.privateKeyPem,
    certificatePem,
    certId: BigInt(`0x${new X509Certificate(certificatePem).serialNumber}`).toString(10),
  };
}

function chain(rootCn: string, middleCn: string): { root: KeyedCertificate; middle: KeyedCertificate } {
  const now = Date.now();
  const root = issueCertificate({
    subjectCn: rootCn,
    organization: 'China Financial Certification Authority',
    issuer: null,
    isCa: true,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 3650 * day),
  });
  const middle = issueCertificate({
    subjectCn: middleCn,
    organization: 'China Financial Certification Authority',
    issuer: root,
    isCa: true,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 1825 * day),
  });
  return { root, middle };
}

/** Builds the whole hierarchy (five RSA-2048 keys, a fraction of a second each). */
export function createUnionpayHierarchy(signerCn: string = simulatorSignerCn): UnionpayHierarchy {
  const now = Date.now();
  const { root, middle } = chain('CFCA SIM ROOT', 'CFCA SIM OCA1');
  const signerRequest = {
    subjectCn: signerCn,
    organization: '中国银联股份有限公司',
    issuer: middle,
    isCa: false,
  };
  const signer = issueCertificate({
    ...signerRequest,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 730 * day),
  });
  const expiredSigner = issueCertificate({
    ...signerRequest,
    notBefore: new Date(now - 400 * day),
    notAfter: new Date(now - day),
  });
  const other = chain('CFCA SIM ROOT', 'CFCA SIM OCA1');
  const wrongChainSigner = issueCertificate({
    ...signerRequest,
    issuer: other.middle,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 730 * day),
  });
  return { root, middle, signer, expiredSigner, wrongChainSigner };
}

/** One CA per process issues every test merchant certificate (saves a key generation per merchant). */
let merchantCa: KeyedCertificate | undefined;

export interface MerchantCertificate extends KeyedCertificate {
  /** The `.pfx` (PKCS#12, 3DES as UnionPay's CFCA files are) as base64, protected by `password`. */
  pfxBase64: string;
  password: string;
}

/**
 * A merchant signing certificate (what CFCA issues to a UnionPay merchant, here issued by a throwaway CA of its
 * own) with its key, and the same pair as a password-protected `.pfx`.
 */
export function createMerchantCertificate(
  merId: string,
  options: { password?: string; validDays?: number } = {},
): MerchantCertificate {
  const now = Date.now();
  merchantCa ??= issueCertificate({
    subjectCn: 'CFCA SIM MERCHANT CA',
    organization: 'China Financial Certification Authority',
    issuer: null,
    isCa: true,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 3650 * day),
  });
  const ca = merchantCa;
  const merchant = issueCertificate({
    subjectCn: `041@Z${merId}@${merId}@00000001`,
    organization: 'spay test merchant',
    issuer: ca,
    isCa: false,
    notBefore: new Date(now - day),
    notAfter: new Date(now + (options.validDays ?? 365) * day),
  });
  const password = options.password ?? '000000';
  const p12 = forge.pkcs12.toPkcs12Asn1(
    forge.pki.privateKeyFromPem(merchant.privateKeyPem),
    [forge.pki.certificateFromPem(merchant.certificatePem)],
    password,
    { algorithm: '3des' },
  );
  const pfxBase64 = forge.util.encode64(forge.asn1.toDer(p12).getBytes());
  return { ...merchant, pfxBase64, password };
}
