/**
 * The gateway logger's own redaction (pino's `redact`, through Fastify's logger options): secrets and personal
 * data never reach a log line, whatever a log call passes — payer identities (openid, card and id numbers, names,
 * phone numbers), secrets and keys, signatures, tokens and credentials — at the top level and two levels down
 * (`{bill: {openid}}`, `{detail: {payer: {openid}}}`); request headers that carry credentials; and in request
 * URLs, the values of query parameters (a GET of the REST API carries its `app_sign` and payload in `para`).
 */
import type { FastifyRequest } from 'fastify';

export const redactedValue = '[redacted]';

/** Field names whose values are never logged (as they appear in BeeCloud's, the channels' and spay's own shapes). */
export const sensitiveFields: readonly string[] = [
  // payer identities
  'openid',
  'sub_openid',
  'buyer_id',
  'buyer_logon_id',
  'card_no',
  'cardNo',
  'card_number',
  // a payment code scanned at a till (offline), a card's CVV and the card map of PayPal card payments
  'auth_code',
  'authCode',
  'cvv',
  'credit_card_info',
  'accNo',
  'acc_no',
  'bank_account',
  'id_no',
  'idNo',
  'id_number',
  'id_card',
  'certId',
  'cert_no',
  'phone',
  'mobile',
  'real_name',
  // secrets and keys
  'secret',
  'appSecret',
  'app_secret',
  'masterSecret',
  'master_secret',
  'testSecret',
  'test_secret',
  'webhookSecret',
  'webhook_secret',
  'key',
  'api_key',
  'apiKey',
  'apiV3Key',
  'private_key',
  'privateKey',
  'app_private_key',
  'password',
  'passphrase',
  'token',
  'access_token',
  'channelSettings',
  'channel_settings',
  // signatures
  'sign',
  'app_sign',
  'signature',
  'paySign',
];

const sensitiveHeaders = [
  'authorization',
  'cookie',
  'set-cookie',
  'webhook-signature',
  'wechatpay-signature',
  'x-api-key',
];

function pathFor(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? name : `["${name}"]`;
}

/** pino `redact` paths: each sensitive field at depth 0, 1 and 2, plus credential headers of a logged request. */
export function redactPaths(): string[] {
  const paths: string[] = [];
  for (const field of sensitiveFields) {
    const key = pathFor(field);
    const join = (prefix: string) => (key.startsWith('[') ? `${prefix}${key}` : `${prefix}.${key}`);
    paths.push(key, join('*'), join('*.*'));
  }
  for (const header of sensitiveHeaders) {
    paths.push(`req.headers["${header}"]`, `headers["${header}"]`);
  }
  return paths;
}

/** A request URL for logs: its path, and its query parameters' names with their values redacted. */
export function urlForLog(url: string): string {
  const mark = url.indexOf('?');
  if (mark === -1) return url;
  const names = url
    .slice(mark + 1)
    .split('&')
    .filter(Boolean)
    .map((pair) => pair.split('=')[0]);
  return `${url.slice(0, mark)}?${names.map((name) => `${name}=${redactedValue}`).join('&')}`;
}

/** Fastify logger options: level, redaction, and a request serializer that keeps query values out. */
export function gatewayLoggerOptions(stream?: NodeJS.WritableStream) {
  return {
    level: 'info',
    redact: { paths: redactPaths(), censor: redactedValue },
    serializers: {
      req(request: FastifyRequest) {
        return {
          method: request.method,
          url: urlForLog(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        };
      },
    },
    ...(stream ? { stream } : {}),
  };
}
