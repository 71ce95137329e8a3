/**
 * Downloading WeChat Pay's platform certificates (`GET /v3/certificates`) for a merchant verifying in certificate
 * mode: each certificate comes encrypted with the APIv3 key; the answer is signed by one of them, so it is checked
 * with the certificate its `Wechatpay-Serial` names once decrypted (as WeChat's CertificateDownloader does), or
 * with the WeChat Pay public key when it is signed with that. The PEMs go into `platform_certificates`.
 */
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { ChannelCallError, type OutboundHttp } from '../channel.ts';
import {
  certificateSerial,
  decryptResource,
  signRequest,
  signedHeaders,
  verifySigned,
  type WechatpayVerifier,
} from './wechatpay-crypto.ts';
import { defaultApiBaseUrl } from './wechatpay-settings.ts';

export interface PlatformCertificate {
  serialNo: string;
  pem: string;
  validTo: string;
}

export interface CertificateDownloadSettings {
  mchid: string;
  merchant_private_key: string;
  merchant_serial_no: string;
  apiv3_key: string;
  api_base_url?: string;
  wechatpay_public_key?: string | null;
  wechatpay_public_key_id?: string | null;
}

export async function downloadPlatformCertificates(
  settings: CertificateDownloadSettings,
  http: OutboundHttp,
  now: () => number = Date.now,
): Promise<PlatformCertificate[]> {
  const base = (settings.api_base_url ?? defaultApiBaseUrl).replace(/\/+$/, '');
  const url = new URL(`${base}/v3/certificates`);
  const authorization = signRequest(
    { method: 'GET', pathWithQuery: url.pathname, body: '' },
    {
      mchid: settings.mchid,
      serialNo: settings.merchant_serial_no,
      privateKey: createPrivateKey(settings.merchant_private_key),
    },
    Math.floor(now() / 1000),
  );
  let response;
  try {
    response = await http({
      url: url.toString(),
      method: 'GET',
      headers: { authorization, accept: 'application/json' },
      timeoutMs: 10_000,
    });
  } catch {
    throw new ChannelCallError('NETWORK', 'WeChat Pay GET /v3/certificates: network error', true);
  }
  let body: { data?: unknown; code?: unknown; message?: unknown };
  try {
    body = JSON.parse(response.body) as typeof body;
  } catch {
    throw new ChannelCallError(
      'BAD_ANSWER',
      `GET /v3/certificates answered HTTP ${response.status}, not JSON`,
      true,
    );
  }
  if (response.status !== 200 || !Array.isArray(body.data)) {
    throw new ChannelCallError(
      typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
      `WeChat Pay: ${typeof body.message === 'string' ? body.message : 'no certificates'}`,
      response.status >= 500,
    );
  }
  const apiv3Key = Buffer.from(settings.apiv3_key, 'utf8');
  const certificates: PlatformCertificate[] = [];
  for (const entry of body.data as { encrypt_certificate?: Record<string, string> }[]) {
    const encrypted = entry.encrypt_certificate ?? {};
    let pem: string;
    try {
      pem = decryptResource(
        {
          algorithm: encrypted.algorithm ?? '',
          ciphertext: encrypted.ciphertext ?? '',
          associated_data: encrypted.associated_data ?? '',
          nonce: encrypted.nonce ?? '',
        },
        apiv3Key,
      );
    } catch (error) {
      throw new ChannelCallError(
        'BAD_ANSWER',
        `a certificate does not decrypt: ${(error as Error).message}`,
        false,
      );
    }
    const certificate = new X509Certificate(pem);
    certificates.push({ serialNo: certificateSerial(certificate), pem, validTo: certificate.validTo });
  }

  const verifier: WechatpayVerifier = {
    platformKeys: new Map(certificates.map((c) => [c.serialNo, new X509Certificate(c.pem).publicKey])),
    publicKey:
      settings.wechatpay_public_key && settings.wechatpay_public_key_id
        ? { id: settings.wechatpay_public_key_id, key: createPublicKey(settings.wechatpay_public_key) }
        : null,
  };
  const signed = signedHeaders(response.headers);
  const problem = signed
    ? verifySigned(verifier, signed, response.body, Math.floor(now() / 1000))
    : 'the answer is not signed';
  if (problem) throw new ChannelCallError('BAD_SIGNATURE', `GET /v3/certificates: ${problem}`, false);
  return certificates;
}
