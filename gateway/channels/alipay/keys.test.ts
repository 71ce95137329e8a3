import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlipaySdk } from 'alipay-sdk';
import { describe, expect, it } from 'vitest';
import { newRsaKeyPair, SimulatedAlipayCa } from '../../../simulators/alipay/crypto.ts';
import {
  certificateSn,
  chainProblem,
  issuerPrincipalName,
  keysMatch,
  parseCertificates,
  parsePrivateKey,
  parsePublicKey,
  rootCertificateSn,
  signatureAlgorithmOid,
} from './keys.ts';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pem = (type: 'pkcs1' | 'pkcs8') => rsa.privateKey.export({ type, format: 'pem' }) as string;
const bare = (type: 'pkcs1' | 'pkcs8') =>
  (rsa.privateKey.export({ type, format: 'der' }) as Buffer).toString('base64');

describe('parsePrivateKey', () => {
  it('reads PKCS#1 and PKCS#8 PEM (with or without a trailing newline) and the bare base64 of both', () => {
    for (const text of [
      pem('pkcs1'),
      pem('pkcs8'),
      `${pem('pkcs8')}\n\n`,
      bare('pkcs8'),
      bare('pkcs1'),
      bare('pkcs8').replace(/(.{64})/g, '$1\n'),
    ]) {
      expect(keysMatch(parsePrivateKey(text), rsa.publicKey)).toBe(true);
    }
  });

  it('refuses garbage and non-RSA keys', () => {
    expect(() => parsePrivateKey('not a key!')).toThrow(/neither a PEM block nor base64/);
    expect(() => parsePrivateKey('QUJD')).toThrow();
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(() => parsePrivateKey(ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)).toThrow(
      /RSA/,
    );
  });
});

describe('parsePublicKey', () => {
  it('reads SPKI PEM, PKCS#1 PEM and the bare base64 Alipay shows', () => {
    const spkiDer = rsa.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    for (const text of [
      rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
      rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }) as string,
      spkiDer,
    ]) {
      expect(keysMatch(rsa.privateKey, parsePublicKey(text))).toBe(true);
    }
  });
});

function openssl(dir: string, ...args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
}

describe('certificate serial numbers, checked against alipay-sdk', () => {
  const ca = new SimulatedAlipayCa();
  const appKeys = newRsaKeyPair();
  const appCert = ca.issueLeaf(appKeys.publicKey, 'Merchant 2088000000000001', '2021000000000001');
  const sdkFor = (app: string, roots: string) =>
    new AlipaySdk({
      appId: '2021000000000001',
      privateKey: appKeys.privateKey,
      keyType: 'PKCS8',
      appCertContent: app,
      alipayPublicCertContent: app,
      alipayRootCertContent: roots,
    });

  it('app_cert_sn = md5(issuer DN in RFC 2253 order + decimal serial), as the SDK derives it', () => {
    const leaf = parseCertificates(appCert)[0];
    expect(issuerPrincipalName(leaf)).toBe(
      'CN=Simulated Ant Financial Certification Authority Class 2 R1,OU=Certification Authority,O=Simulated Ant Financial,C=CN',
    );
    expect(certificateSn(leaf)).toMatch(/^[0-9a-f]{32}$/);
    expect(certificateSn(leaf)).toBe(sdkFor(appCert, ca.rootBundle).config.appCertSn);
  });

  it('alipay_root_cert_sn joins the RSA-signed roots (sha256 and sha1) and leaves out the ECDSA one', () => {
    const roots = parseCertificates(ca.rootBundle);
    expect(roots.map(signatureAlgorithmOid)).toEqual([
      '1.2.840.113549.1.1.11', // sha256WithRSAEncryption
      '1.2.840.113549.1.1.5', // sha1WithRSAEncryption
      '1.2.840.10045.4.3.2', // ecdsa-with-SHA256
    ]);
    const sn = rootCertificateSn(roots);
    expect(sn.split('_')).toEqual([certificateSn(roots[0]), certificateSn(roots[1])]);
    expect(sn).toBe(sdkFor(appCert, ca.rootBundle).config.alipayRootCertSn);
  });

  it('agrees with the SDK for an openssl-made certificate with a Chinese issuer and a long serial', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alipay-sn-'));
    writeFileSync(join(dir, 'key.pem'), appKeys.privateKey);
    openssl(
      dir,
      'req',
      '-x509',
      '-new',
      '-key',
      'key.pem',
      '-out',
      'cert.pem',
      '-days',
      '30',
      '-utf8',
      '-subj',
      '/C=CN/ST=浙江/L=杭州/O=蚂蚁科技集团股份有限公司/OU=支付宝/CN=Ant Financial Test CA',
      '-set_serial',
      '0x7f1e2d3c4b5a69788796a5b4c3d2e1f0',
      '-sha256',
    );
    const text = readFileSync(join(dir, 'cert.pem'), 'utf8');
    const cert = new X509Certificate(text);
    expect(issuerPrincipalName(cert)).toBe(
      'CN=Ant Financial Test CA,OU=支付宝,O=蚂蚁科技集团股份有限公司,L=杭州,ST=浙江,C=CN',
    );
    expect(certificateSn(cert)).toBe(sdkFor(text, text).config.appCertSn);
    expect(rootCertificateSn([cert])).toBe(sdkFor(text, text).config.alipayRootCertSn);
  });

  it('leaves an openssl-made ECDSA root out of the root SN', () => {
    const dir = mkdtempSync(join(tmpdir(), 'alipay-ec-'));
    openssl(dir, 'ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', 'ec.pem');
    openssl(
      dir,
      'req',
      '-x509',
      '-new',
      '-key',
      'ec.pem',
      '-out',
      'ec-root.pem',
      '-days',
      '30',
      '-subj',
      '/C=CN/CN=EC Root',
    );
    const ecRoot = readFileSync(join(dir, 'ec-root.pem'), 'utf8');
    const bundle = `${ca.rootBundle}\n${ecRoot}`;
    expect(signatureAlgorithmOid(new X509Certificate(ecRoot))).toBe('1.2.840.10045.4.3.2');
    expect(rootCertificateSn(parseCertificates(bundle))).toBe(
      rootCertificateSn(parseCertificates(ca.rootBundle)),
    );
    expect(rootCertificateSn(parseCertificates(bundle))).toBe(
      sdkFor(appCert, bundle).config.alipayRootCertSn,
    );
  });
});

describe('chainProblem', () => {
  const ca = new SimulatedAlipayCa();
  const other = new SimulatedAlipayCa();
  const leaf = ca.issueLeaf(newRsaKeyPair().publicKey, 'Merchant', '2021000000000001');

  it('accepts a leaf + intermediate file that chains to the bundle', () => {
    expect(chainProblem(parseCertificates(leaf), parseCertificates(ca.rootBundle), new Date())).toBeNull();
  });

  it('says what is wrong otherwise', () => {
    expect(chainProblem(parseCertificates(leaf), parseCertificates(other.rootBundle), new Date())).toMatch(
      /not issued by the root/,
    );
    expect(
      chainProblem(parseCertificates(leaf).slice(0, 1), parseCertificates(ca.rootBundle), new Date()),
    ).toMatch(/not issued by the root/);
    expect(
      chainProblem(
        parseCertificates(leaf),
        parseCertificates(ca.rootBundle),
        new Date(Date.now() + 30 * 365 * 86400_000),
      ),
    ).toMatch(/expired/);
    expect(chainProblem([], [], new Date())).toBe('no certificate found');
  });
});
