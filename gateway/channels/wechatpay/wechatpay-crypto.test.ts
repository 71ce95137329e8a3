/**
 * WeChat Pay v3 cryptography, cross-checked with an independent implementation (wechatpay-axios-plugin's
 * Formatter, Rsa and Aes.AesGcm) so the wire format is not checked only by our own code.
 */
import { X509Certificate, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { Aes, Formatter, Rsa } from 'wechatpay-axios-plugin';
import { describe, expect, it } from 'vitest';
import { generateMerchantCredentials } from '../../../simulators/wechatpay/index.ts';
import {
  authorizationHeader,
  certificateSerial,
  decryptResource,
  jsapiPayMessage,
  keyForSerial,
  newNonce,
  normalizeSerial,
  requestMessage,
  responseMessage,
  signRequest,
  signSha256Rsa,
  signedHeaders,
  verifySha256Rsa,
  verifySigned,
} from './wechatpay-crypto.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
const apiv3Key = Buffer.from('0123456789abcdefghijklmnopqrstuv');

describe('message strings', () => {
  it('request, answer and paySign messages are the lines WeChat signs, each ending in \\n', () => {
    expect(
      requestMessage('GET', '/v3/certificates', '1554208460', '593BEC0C930BF1AFEB40B4A08C8FB242', ''),
    ).toBe('GET\n/v3/certificates\n1554208460\n593BEC0C930BF1AFEB40B4A08C8FB242\n\n');
    expect(requestMessage('POST', '/v3/pay/transactions/native', '1', 'N', '{"a":1}')).toBe(
      Formatter.request('POST', '/v3/pay/transactions/native', '1', 'N', '{"a":1}'),
    );
    expect(responseMessage('1', 'N', '{"b":2}')).toBe(Formatter.response('1', 'N', '{"b":2}'));
    expect(
      jsapiPayMessage(
        'wx8888888888888888',
        '1414561699',
        '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
        'prepay_id=wx1',
      ),
    ).toBe('wx8888888888888888\n1414561699\n5K8264ILTKCH16CQ2502SI8ZNMTM67VS\nprepay_id=wx1\n');
    expect(jsapiPayMessage('a', 'b', 'c', 'd')).toBe(Formatter.joinedByLineFeed('a', 'b', 'c', 'd'));
  });

  it('the Authorization header carries the five fields after the scheme', () => {
    const header = authorizationHeader({
      mchid: '1900000001',
      nonce: 'N',
      timestamp: '1',
      serialNo: 'AB',
      signature: 'S=',
    });
    expect(header).toBe(
      'WECHATPAY2-SHA256-RSA2048 mchid="1900000001",nonce_str="N",timestamp="1",serial_no="AB",signature="S="',
    );
    // Same fields as the independent implementation writes (its order differs; WeChat does not care).
    const fields = (text: string) =>
      Object.fromEntries([...text.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    expect(fields(header)).toEqual(fields(Formatter.authorization('1900000001', 'N', 'S=', '1', 'AB')));
  });

  it('nonces are 32 characters of [0-9A-Z] and differ', () => {
    const a = newNonce();
    expect(a).toMatch(/^[0-9A-Z]{32}$/);
    expect(newNonce()).not.toBe(a);
  });
});

describe('SHA256withRSA', () => {
  it('our signature verifies with the independent implementation, and the other way round', () => {
    const message = Formatter.request(
      'POST',
      '/v3/refund/domestic/refunds',
      '1700000000',
      'ABC',
      '{"x":"退款"}',
    );
    expect(Rsa.verify(message, signSha256Rsa(message, privateKey), publicKey)).toBe(true);
    expect(verifySha256Rsa(message, Rsa.sign(message, privateKey), publicKey)).toBe(true);
    expect(verifySha256Rsa(message, Rsa.sign(message, other.privateKey), publicKey)).toBe(false);
    expect(verifySha256Rsa(`${message}x`, signSha256Rsa(message, privateKey), publicKey)).toBe(false);
    expect(verifySha256Rsa(message, 'not base64!', publicKey)).toBe(false);
  });

  it('signRequest signs METHOD, path with query, timestamp, nonce and body', () => {
    const header = signRequest(
      { method: 'GET', pathWithQuery: '/v3/pay/transactions/out-trade-no/abc123?mchid=1900000001', body: '' },
      { mchid: '1900000001', serialNo: '5157F09E', privateKey },
      1_700_000_000,
      'FIXEDNONCE',
    );
    const signature = /signature="([^"]+)"/.exec(header)![1];
    expect(header).toContain('timestamp="1700000000"');
    expect(
      Rsa.verify(
        Formatter.request(
          'GET',
          '/v3/pay/transactions/out-trade-no/abc123?mchid=1900000001',
          1700000000,
          'FIXEDNONCE',
        ),
        signature,
        publicKey,
      ),
    ).toBe(true);
  });

  it('a JSAPI paySign verifies as the WeChat client checks it', () => {
    const message = jsapiPayMessage(
      'wx8888888888888888',
      '1414561699',
      'NONCE',
      'prepay_id=wx201410272009395522657a690389285100',
    );
    const paySign = signSha256Rsa(message, privateKey);
    expect(
      Rsa.verify(
        Formatter.joinedByLineFeed(
          'wx8888888888888888',
          '1414561699',
          'NONCE',
          'prepay_id=wx201410272009395522657a690389285100',
        ),
        paySign,
        publicKey,
      ),
    ).toBe(true);
  });
});

describe('AEAD_AES_256_GCM resources', () => {
  it('decrypts what the independent implementation encrypts (IV = nonce, AAD = associated_data, tag last)', () => {
    const plaintext = JSON.stringify({ out_trade_no: 'abc123', amount: { total: 1 }, note: '中文' });
    const ciphertext = Aes.AesGcm.encrypt(plaintext, apiv3Key, 'fdasflkja484', 'transaction');
    expect(
      decryptResource(
        { algorithm: 'AEAD_AES_256_GCM', ciphertext, associated_data: 'transaction', nonce: 'fdasflkja484' },
        apiv3Key,
      ),
    ).toBe(plaintext);
  });

  it('refuses a wrong key, a wrong AAD, a tampered ciphertext and another algorithm', () => {
    const ciphertext = Aes.AesGcm.encrypt('{"a":1}', apiv3Key, 'n0nce0000000', 'refund');
    const resource = {
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext,
      associated_data: 'refund',
      nonce: 'n0nce0000000',
    };
    expect(() => decryptResource(resource, Buffer.from('x'.repeat(32)))).toThrow();
    expect(() => decryptResource({ ...resource, associated_data: 'transaction' }, apiv3Key)).toThrow();
    const bytes = Buffer.from(ciphertext, 'base64');
    bytes[0] ^= 1;
    expect(() => decryptResource({ ...resource, ciphertext: bytes.toString('base64') }, apiv3Key)).toThrow();
    expect(() => decryptResource({ ...resource, algorithm: 'AEAD_SM4_GCM' }, apiv3Key)).toThrow(
      'AEAD_AES_256_GCM',
    );
    expect(() => decryptResource(resource, Buffer.from('short'))).toThrow('32 bytes');
  });
});

describe('serials and key selection', () => {
  const cert = generateMerchantCredentials('1900000001');
  const certificate = new X509Certificate(cert.certificatePem);
  const platformKey = certificate.publicKey;
  const wechatpayKey = createPublicKey(publicKey.export({ type: 'spki', format: 'pem' }));
  const verifier = {
    platformKeys: new Map([[certificateSerial(certificate), platformKey]]),
    publicKey: { id: 'PUB_KEY_ID_0114232134912410000000000000', key: wechatpayKey },
  };

  it('a certificate serial is upper-case hex without leading zeros', () => {
    expect(certificateSerial(certificate)).toBe(cert.serialNo);
    expect(normalizeSerial('00ab12')).toBe('AB12');
    expect(normalizeSerial('0')).toBe('0');
  });

  it('Wechatpay-Serial picks a platform certificate by serial (any case) or the public key by its id', () => {
    expect(keyForSerial(verifier, cert.serialNo)).toBe(platformKey);
    expect(keyForSerial(verifier, cert.serialNo.toLowerCase())).toBe(platformKey);
    expect(keyForSerial(verifier, 'PUB_KEY_ID_0114232134912410000000000000')).toBe(wechatpayKey);
    expect(keyForSerial(verifier, 'PUB_KEY_ID_0114232134912410000000000001')).toBeNull();
    expect(keyForSerial(verifier, 'ABCDEF')).toBeNull();
    expect(keyForSerial(verifier, 'not hex')).toBeNull();
    expect(keyForSerial({ platformKeys: new Map(), publicKey: null }, 'PUB_KEY_ID_01')).toBeNull();
  });

  it('verifySigned: good, stale, from the future, unknown serial, wrong key', () => {
    const body = '{"code_url":"weixin://wxpay/bizpayurl?pr=abc"}';
    const now = 1_700_000_000;
    const sign = (timestamp: number, key = privateKey, serial = verifier.publicKey.id) => ({
      timestamp: String(timestamp),
      nonce: 'N1',
      serial,
      signature: Rsa.sign(Formatter.response(timestamp, 'N1', body), key),
    });
    expect(verifySigned(verifier, sign(now), body, now)).toBeNull();
    expect(verifySigned(verifier, sign(now - 300), body, now)).toBeNull();
    expect(verifySigned(verifier, sign(now - 301), body, now)).toContain('5 minutes');
    expect(verifySigned(verifier, sign(now + 301), body, now)).toContain('5 minutes');
    expect(verifySigned(verifier, sign(now, privateKey, 'PUB_KEY_ID_999'), body, now)).toContain(
      'no platform',
    );
    expect(verifySigned(verifier, sign(now, other.privateKey), body, now)).toContain('does not verify');
    expect(verifySigned(verifier, sign(now, privateKey, cert.serialNo), body, now)).toContain(
      'does not verify',
    );
    expect(verifySigned(verifier, { ...sign(now), timestamp: 'soon' }, body, now)).toContain('Unix time');
  });

  it('signedHeaders reads the four headers in any case and refuses when one is missing', () => {
    expect(
      signedHeaders({
        'Wechatpay-Timestamp': '1',
        'wechatpay-nonce': 'n',
        'WECHATPAY-SIGNATURE': ['s'],
        'wechatpay-serial': 'PUB_KEY_ID_1',
      }),
    ).toEqual({ timestamp: '1', nonce: 'n', signature: 's', serial: 'PUB_KEY_ID_1' });
    expect(
      signedHeaders({ 'wechatpay-timestamp': '1', 'wechatpay-nonce': 'n', 'wechatpay-signature': 's' }),
    ).toBeNull();
  });
});
