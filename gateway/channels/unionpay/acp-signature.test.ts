import { createHash, generateKeyPairSync, sign, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signAsUnionpay } from '../../../simulators/unionpay/acp.ts';
import {
  acpDigestHex,
  acpSign,
  acpSigningText,
  acpVerify,
  chinaTimestamp,
  fenToTxnAmt,
  parseAcpAnswer,
  parseChinaTimestamp,
  txnAmtToFen,
} from './acp-signature.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

const fields = {
  version: '5.1.0',
  txnAmt: '1',
  merId: '777290058110048',
  orderId: 'abc123',
  empty: '',
  signature: 'ignored',
  frontUrl: 'https://shop.example/return?x=1&y=2',
};

describe('ACP signing text', () => {
  it('drops signature and empty values, sorts keys, joins k=v& with raw values', () => {
    expect(acpSigningText(fields)).toBe(
      'frontUrl=https://shop.example/return?x=1&y=2&merId=777290058110048&orderId=abc123&txnAmt=1&version=5.1.0',
    );
  });

  it('signs the lowercase SHA-256 hex string of that text, not the raw text and not the digest bytes', () => {
    const hex = createHash('sha256').update(acpSigningText(fields), 'utf8').digest('hex');
    expect(acpDigestHex(fields)).toBe(hex);
    expect(hex).toMatch(/^[0-9a-f]{64}$/);
    const signature = Buffer.from(acpSign(fields, privateKey), 'base64');
    expect(verify('sha256', Buffer.from(hex, 'utf8'), publicKey, signature)).toBe(true);
    expect(verify('sha256', Buffer.from(acpSigningText(fields), 'utf8'), publicKey, signature)).toBe(false);
    expect(verify('sha256', Buffer.from(hex.toUpperCase(), 'utf8'), publicKey, signature)).toBe(false);
  });

  it('verifies a signature made the other way (by the simulator, written separately) and refuses tampering', () => {
    const signed = signAsUnionpay(
      { txnAmt: '100', orderId: 'o1', respCode: '00' },
      { privateKeyPem, certificatePem: '-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----' },
    );
    expect(acpVerify(signed, publicKey)).toBe(true);
    expect(acpVerify({ ...signed, txnAmt: '101' }, publicKey)).toBe(false);
    expect(acpVerify({ ...signed, signPubKeyCert: 'other' }, publicKey)).toBe(false);
    expect(acpVerify({ ...signed, signature: '' }, publicKey)).toBe(false);
    expect(acpVerify({ ...signed, signature: 'not base64!' }, publicKey)).toBe(false);
    // And ours verified by a plain SHA256withRSA check over the hex.
    const ours = { a: '1', b: '中文' };
    const signature = acpSign(ours, privateKey);
    const hex = createHash('sha256').update('a=1&b=中文', 'utf8').digest('hex');
    expect(verify('sha256', Buffer.from(hex), publicKey, Buffer.from(signature, 'base64'))).toBe(true);
    expect(sign('sha256', Buffer.from(hex), privateKey).toString('base64')).toBe(signature);
  });
});

describe('txnTime in China time', () => {
  it('formats yyyyMMddHHmmss at UTC+8 whatever the host time zone', () => {
    const instant = Date.UTC(2026, 11, 31, 16, 30, 5); // 2027-01-01 00:30:05 in Shanghai
    const previous = process.env.TZ;
    try {
      for (const zone of ['UTC', 'America/Los_Angeles', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
        process.env.TZ = zone;
        expect(chinaTimestamp(instant)).toBe('20270101003005');
      }
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('reads it back and refuses impossible times', () => {
    expect(parseChinaTimestamp('20270101003005')).toBe(Date.UTC(2026, 11, 31, 16, 30, 5));
    expect(parseChinaTimestamp('20261340120000')).toBeNull();
    expect(parseChinaTimestamp('20260230120000')).toBeNull();
    expect(parseChinaTimestamp('2026-12-01 12:00')).toBeNull();
  });
});

describe('txnAmt in fen', () => {
  it('writes integer fen as digits and refuses anything else', () => {
    expect(fenToTxnAmt(1)).toBe('1');
    expect(fenToTxnAmt(123456)).toBe('123456');
    for (const bad of [0, -1, 1.5, Number.NaN, 2 ** 53]) expect(() => fenToTxnAmt(bad)).toThrow(RangeError);
  });

  it('reads digits only', () => {
    expect(txnAmtToFen('000100')).toBe(100);
    expect(txnAmtToFen('1')).toBe(1);
    for (const bad of ['1.00', '-1', '', ' 1', '1e3', '1234567890123', undefined])
      expect(txnAmtToFen(bad)).toBeNull();
  });
});

describe('UnionPay answer bodies', () => {
  it('splits k=v& keeping = inside values and {…} values whole', () => {
    const answer = parseAcpAnswer(
      'respCode=00&signature=ab+c/d==&reserved={a=1&b={c=2}}&signPubKeyCert=-----BEGIN CERTIFICATE-----\r\nMII=\r\n-----END CERTIFICATE-----&respMsg=成功[0000000]\n',
    );
    expect(answer).toEqual({
      respCode: '00',
      signature: 'ab+c/d==',
      reserved: '{a=1&b={c=2}}',
      signPubKeyCert: '-----BEGIN CERTIFICATE-----\r\nMII=\r\n-----END CERTIFICATE-----',
      respMsg: '成功[0000000]',
    });
    expect(parseAcpAnswer('')).toEqual({});
  });
});
