/**
 * Authenticates a REST request the BeeCloud way: `app_id`, `timestamp` (ms) and
 * `app_sign = md5(app_id + timestamp + secret)` (32 hex digits, any case), compared in constant time.
 *
 * Which secret signs a request depends on what it does:
 * - payments and queries: the app secret (a test-mode app also accepts its test secret);
 * - refunds, refund approval and webhook resends: the master secret;
 * - the sandbox paths (`/2/rest/sandbox/*`): the test secret.
 * A timestamp outside the replay window (±5 min by default) is refused as APP_INVALID naming `timestamp`.
 */
import { hexSignaturesEqual, restAppSign } from '../../sdk/sign.ts';
import { previousSecretsOf, type PreviousSecret } from '../apps/app.ts';
import { BeeCloudError } from '../errors/result-codes.ts';

/** The signature fields of a request, as its schema checked them (schema/beecloud-schema.ts `signatureFields`). */
export interface SignatureFields {
  app_id: string;
  timestamp?: number;
  app_sign?: string;
}

/** payment: pay and queries; master: refunds, their approval, webhook resends; sandbox: the sandbox paths. */
export type SecretScope = 'payment' | 'master' | 'sandbox';

export interface AppCredentials {
  appId: string;
  appSecret: string;
  masterSecret: string;
  testSecret: string;
  mode: 'test' | 'live';
  /** Rotated-out secrets still within their grace (the console's rotation): accepted like the current ones. */
  previousSecrets?: PreviousSecret[];
}

export const DEFAULT_TIMESTAMP_WINDOW_MS = 5 * 60 * 1000;

interface AcceptedSecret {
  name: string;
  value: string;
}

/** The secrets a request in `scope` may be signed with at `now`, previous values within their grace included. */
export function acceptedSecrets(
  app: AppCredentials,
  scope: SecretScope,
  now: number = Date.now(),
): AcceptedSecret[] {
  const withPrevious = (name: string, kind: PreviousSecret['kind'], value: string): AcceptedSecret[] => [
    { name, value },
    ...previousSecretsOf(app, kind, now).map((previous) => ({ name: `previous ${name}`, value: previous })),
  ];
  switch (scope) {
    case 'payment':
      return app.mode === 'test'
        ? [
            ...withPrevious('test_secret', 'test', app.testSecret),
            ...withPrevious('app_secret', 'app', app.appSecret),
          ]
        : withPrevious('app_secret', 'app', app.appSecret);
    case 'master':
      return withPrevious('master_secret', 'master', app.masterSecret);
    case 'sandbox':
      return withPrevious('test_secret', 'test', app.testSecret);
  }
}

/** "test_secret or app_secret": the names of the current secrets an error message mentions. */
export function secretNames(secrets: AcceptedSecret[]): string {
  return secrets
    .filter((secret) => !secret.name.startsWith('previous '))
    .map((secret) => secret.name)
    .join(' or ');
}

export interface AuthOptions<App extends AppCredentials> {
  findApp(appId: string): Promise<App | undefined>;
  scope: SecretScope;
  now?: number;
  timestampWindowMs?: number;
}

/** The legacy (timestamp, app_sign) pair, required when the request has no v2 signature. */
export function legacySignOf(fields: SignatureFields): { timestamp: number; appSign: string } {
  if (fields.timestamp === undefined) throw new BeeCloudError('MISS_PARAM', 'timestamp', 'is required');
  if (fields.app_sign === undefined) throw new BeeCloudError('MISS_PARAM', 'app_sign', 'is required');
  return { timestamp: fields.timestamp, appSign: fields.app_sign };
}

/** Returns the authenticated app, or throws the BeeCloudError naming the field at fault. */
export async function authenticateApp<App extends AppCredentials>(
  fields: SignatureFields,
  options: AuthOptions<App>,
): Promise<App> {
  const appId = fields.app_id;
  const { timestamp, appSign } = legacySignOf(fields);

  const now = options.now ?? Date.now();
  const window = options.timestampWindowMs ?? DEFAULT_TIMESTAMP_WINDOW_MS;
  if (Math.abs(now - timestamp) > window) {
    throw new BeeCloudError(
      'APP_INVALID',
      'timestamp',
      `is outside the allowed window of ±${Math.round(window / 1000)} s around the server time (milliseconds since epoch expected)`,
    );
  }
  if (!/^[0-9a-fA-F]{32}$/.test(appSign)) {
    throw new BeeCloudError('APP_INVALID', 'app_sign', 'must be 32 hexadecimal digits');
  }

  const app = await options.findApp(appId);
  if (app === undefined) throw new BeeCloudError('APP_INVALID', 'app_id', 'no such app');

  const secrets = acceptedSecrets(app, options.scope, now);
  let matched = false;
  for (const secret of secrets) {
    // Every accepted secret is compared, so the timing does not tell which one was close.
    if (hexSignaturesEqual(restAppSign(appId, timestamp, secret.value), appSign)) matched = true;
  }
  if (!matched) {
    throw new BeeCloudError(
      'APP_INVALID',
      'app_sign',
      `does not match md5(app_id + timestamp + ${secretNames(secrets)})`,
    );
  }
  return app;
}
