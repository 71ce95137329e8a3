import { createPrivateKey, X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createMerchantCertificate,
  createUnionpayHierarchy,
  type UnionpayHierarchy,
} from '../../../simulators/unionpay/certificates.ts';
import {
  certIdOf,
  checkAnchors,
  checkSignerCertificate,
  readPfx,
  signerIdentityOf,
  unionpayCompanyName,
  type TrustAnchors,
} from './acp-certificates.ts';

let production: UnionpayHierarchy;
let testEnvironment: UnionpayHierarchy;
let anchors: TrustAnchors;

beforeAll(() => {
  production = createUnionpayHierarchy(`041@Z12@${unionpayCompanyName}@00000001`);
  testEnvironment = createUnionpayHierarchy();
  anchors = {
    root: new X509Certificate(production.root.certificatePem),
    middle: new X509Certificate(production.middle.certificatePem),
    expectedSignerIdentity: unionpayCompanyName,
  };
}, 120_000);

describe('signPubKeyCert checks', () => {
  it("accepts UnionPay's signer: chained to the configured middle and root, in date, naming the company", () => {
    const result = checkSignerCertificate(production.signer.certificatePem, anchors, Date.now());
    expect(result.ok).toBe(true);
    if (result.ok) expect(signerIdentityOf(result.certificate)).toBe('中国银联股份有限公司');
  });

  it('refuses an expired certificate', () => {
    expect(checkSignerCertificate(production.expiredSigner.certificatePem, anchors, Date.now())).toEqual({
      ok: false,
      reason: 'signPubKeyCert is outside its validity dates',
    });
    // …and a valid one once the clock passes its end.
    const later = Date.parse(new X509Certificate(production.signer.certificatePem).validTo) + 1000;
    expect(checkSignerCertificate(production.signer.certificatePem, anchors, later).ok).toBe(false);
  });

  it('refuses a certificate with the same names from another issuer (wrong chain)', () => {
    const result = checkSignerCertificate(production.wrongChainSigner.certificatePem, anchors, Date.now());
    expect(result).toEqual({
      ok: false,
      reason: 'signPubKeyCert is not issued by the configured middle certificate',
    });
    // A middle that the configured root did not issue is refused too.
    const mixed = { ...anchors, middle: new X509Certificate(testEnvironment.middle.certificatePem) };
    expect(checkSignerCertificate(testEnvironment.signer.certificatePem, mixed, Date.now())).toEqual({
      ok: false,
      reason: 'the middle certificate is not issued by the configured root certificate',
    });
  });

  it('refuses a properly chained certificate that does not name UnionPay (wrong subject)', () => {
    const testAnchors: TrustAnchors = {
      root: new X509Certificate(testEnvironment.root.certificatePem),
      middle: new X509Certificate(testEnvironment.middle.certificatePem),
      expectedSignerIdentity: unionpayCompanyName,
    };
    expect(checkSignerCertificate(testEnvironment.signer.certificatePem, testAnchors, Date.now())).toEqual({
      ok: false,
      reason: 'signPubKeyCert does not name 中国银联股份有限公司',
    });
    // The configurable test CN accepts UnionPay's test environment signer.
    const accepted = checkSignerCertificate(
      testEnvironment.signer.certificatePem,
      { ...testAnchors, expectedSignerIdentity: '00040000:SIGN' },
      Date.now(),
    );
    expect(accepted.ok).toBe(true);
  });

  it('refuses a missing or unreadable certificate', () => {
    expect(checkSignerCertificate(undefined, anchors, Date.now())).toMatchObject({
      ok: false,
      reason: 'signPubKeyCert is missing',
    });
    expect(checkSignerCertificate('garbage', anchors, Date.now())).toMatchObject({
      ok: false,
      reason: 'signPubKeyCert is not a certificate',
    });
  });

  it('checks the anchors themselves: CA flags, issuer, self-signature', () => {
    const root = new X509Certificate(production.root.certificatePem);
    const middle = new X509Certificate(production.middle.certificatePem);
    expect(() => checkAnchors(root, middle, Date.now())).not.toThrow();
    expect(() => checkAnchors(middle, root, Date.now())).toThrow(/root certificate is not self-signed/);
    expect(() =>
      checkAnchors(root, new X509Certificate(production.signer.certificatePem), Date.now()),
    ).toThrow(/middle certificate is not a CA/);
    expect(() =>
      checkAnchors(root, new X509Certificate(testEnvironment.middle.certificatePem), Date.now()),
    ).toThrow(/not issued by the root/);
  });
});

describe('.pfx reading (node-forge)', () => {
  it('opens a password-protected pfx: the key matches the certificate, certId is the decimal serial', () => {
    const merchant = createMerchantCertificate('777290058110048', { password: 'secret' });
    const material = readPfx(merchant.pfxBase64, 'secret');
    const certificate = new X509Certificate(material.certificatePem);
    expect(certificate.checkPrivateKey(createPrivateKey(material.privateKeyPem))).toBe(true);
    expect(certIdOf(certificate)).toBe(merchant.certId);
    expect(certIdOf(certificate)).toMatch(/^\d+$/);
    expect(() => readPfx(merchant.pfxBase64, 'wrong')).toThrow(/cannot be opened/);
    expect(() => readPfx('bm90IGEgcGZ4', 'secret')).toThrow(/cannot be opened/);
  });
});
