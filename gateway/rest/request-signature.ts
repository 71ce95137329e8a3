/**
 * spay's v2 REST request signature (issue 21 item 6): headers X-Spay-Timestamp (ms), X-Spay-Nonce (16–64 of
 * A–Z a–z 0–9 - _) and X-Spay-Signature = hex HMAC-SHA256(secret, "SPAY-REQUEST-V2\nMETHOD\n/2/path?query\napp_id\n
 * timestamp\nnonce\nhex SHA-256 of the body") — sdk/sign.ts `restRequestSignature`. The secret is the one the
 * endpoint requires (as for app_sign). Unlike the legacy app_sign it covers what the request does, and each nonce
 * is accepted once inside the timestamp window (ReplayGuardStore), on every instance sharing the store.
 *
 * The legacy app_sign (md5 of app_id + timestamp + secret) covers neither; on the endpoints that move money out
 * (`oneUse`), one (timestamp, app_sign) is accepted once, so a captured refund cannot be replayed with another body.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hexSignaturesEqual, REQUEST_SIGNATURE_HEADERS, restRequestSignature } from '../../sdk/sign.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { isServerSdkPath } from '../http/rate-limit.ts';
import {
  acceptedSecrets,
  legacySignOf,
  secretNames,
  type AppCredentials,
  type AuthOptions,
  type SignatureFields,
} from './app-auth.ts';
import type { ReplayGuardStore } from '../storage/replay-guard-store.ts';

const HEADER_NAMES = { timestamp: 'X-Spay-Timestamp', nonce: 'X-Spay-Nonce', signature: 'X-Spay-Signature' };
const maxSignedBodyBytes = 64 * 1024;
const rawBodies = new WeakMap<FastifyRequest, Buffer>();

/** Keeps the exact body bytes of REST requests that carry a v2 signature (the signature covers them). */
export function installSignedBodyCapture(server: FastifyInstance): void {
  // A callback hook: every other request (status reads, the button, unsigned REST) goes on without a promise.
  server.addHook('preParsing', (request, _reply, payload, done) => {
    if (
      request.headers[REQUEST_SIGNATURE_HEADERS.signature] === undefined ||
      !isServerSdkPath(request.url.split('?')[0] ?? '')
    ) {
      done(null, payload);
      return;
    }
    captureSignedBody(request, payload).then((replay) => done(null, replay), done);
  });
}

async function captureSignedBody(
  request: FastifyRequest,
  payload: AsyncIterable<unknown>,
): Promise<Readable> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of payload) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > maxSignedBodyBytes) {
      throw new BeeCloudError('PARAM_INVALID', 'body', `must be at most ${maxSignedBodyBytes} bytes`, 413);
    }
    chunks.push(buffer);
  }
  const raw = Buffer.concat(chunks);
  rawBodies.set(request, raw);
  const replay = Readable.from([raw]) as Readable & { receivedEncodedLength?: number };
  replay.receivedEncodedLength = raw.length;
  return replay;
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export function hasRequestSignature(request: FastifyRequest): boolean {
  return header(request, REQUEST_SIGNATURE_HEADERS.signature) !== undefined;
}

function checkWindow(field: string, timestamp: number, now: number, window: number): void {
  if (Math.abs(now - timestamp) > window) {
    throw new BeeCloudError(
      'APP_INVALID',
      field,
      `is outside the allowed window of ±${Math.round(window / 1000)} s around the server time (milliseconds since epoch expected)`,
    );
  }
}

export interface SignedAuthOptions<App extends AppCredentials> extends AuthOptions<App> {
  guard: ReplayGuardStore;
}

/** Authenticates a request by its v2 headers; returns the app or throws the BeeCloudError naming the header. */
export async function authenticateSignedRequest<App extends AppCredentials>(
  request: FastifyRequest,
  fields: Pick<SignatureFields, 'app_id'>,
  options: SignedAuthOptions<App>,
): Promise<App> {
  const appId = fields.app_id;
  const timestampText = header(request, REQUEST_SIGNATURE_HEADERS.timestamp) ?? '';
  if (!/^[0-9]{1,15}$/.test(timestampText)) {
    throw new BeeCloudError('APP_INVALID', HEADER_NAMES.timestamp, 'must be milliseconds since the epoch');
  }
  const timestamp = Number(timestampText);
  const now = options.now ?? Date.now();
  const window = options.timestampWindowMs ?? 5 * 60_000;
  checkWindow(HEADER_NAMES.timestamp, timestamp, now, window);
  const nonce = header(request, REQUEST_SIGNATURE_HEADERS.nonce) ?? '';
  if (!/^[A-Za-z0-9_-]{16,64}$/.test(nonce)) {
    throw new BeeCloudError('APP_INVALID', HEADER_NAMES.nonce, 'must be 16 to 64 letters, digits, - or _');
  }
  const signature = header(request, REQUEST_SIGNATURE_HEADERS.signature) ?? '';
  if (!/^[0-9a-fA-F]{64}$/.test(signature)) {
    throw new BeeCloudError('APP_INVALID', HEADER_NAMES.signature, 'must be 64 hexadecimal digits');
  }
  const app = await options.findApp(appId);
  if (app === undefined) throw new BeeCloudError('APP_INVALID', 'app_id', 'no such app');

  const signed = {
    method: request.method,
    pathAndQuery: request.url,
    appId,
    timestamp,
    nonce,
    body: rawBodies.get(request) ?? '',
  };
  const secrets = acceptedSecrets(app, options.scope, now);
  let matched = false;
  for (const secret of secrets) {
    if (hexSignaturesEqual(restRequestSignature(signed, secret.value), signature)) matched = true;
  }
  if (!matched) {
    const names = secretNames(secrets);
    throw new BeeCloudError(
      'APP_INVALID',
      HEADER_NAMES.signature,
      `does not match HMAC-SHA256(${names}, SPAY-REQUEST-V2 / method / path and query / app_id / timestamp / nonce / SHA-256 of the body)`,
    );
  }
  const fresh = await options.guard.claim({
    appId,
    kind: 'nonce',
    fingerprint: nonce,
    expiresAt: timestamp + window + 1,
    now,
  });
  if (!fresh) {
    throw new BeeCloudError(
      'APP_INVALID',
      HEADER_NAMES.nonce,
      'was already used inside the timestamp window (a replayed request): send every request with a new nonce',
    );
  }
  return app;
}

/** Refuses a legacy (timestamp, app_sign) seen before on an endpoint that moves money out. */
export async function claimLegacySign(
  guard: ReplayGuardStore,
  appId: string,
  fields: SignatureFields,
  window: number,
  now = Date.now(),
): Promise<void> {
  const { timestamp, appSign: sentSign } = legacySignOf(fields);
  const appSign = sentSign.toLowerCase();
  const fingerprint = createHash('sha256').update(`${timestamp}:${appSign}`).digest('hex');
  const fresh = await guard.claim({
    appId,
    kind: 'legacy_sign',
    fingerprint,
    expiresAt: timestamp + window + 1,
    now,
  });
  if (!fresh) {
    throw new BeeCloudError(
      'APP_INVALID',
      'app_sign',
      'was already used with this timestamp by a request that moves money (a replay): sign each refund with its own timestamp, or use the v2 request signature (X-Spay-Signature)',
    );
  }
}
