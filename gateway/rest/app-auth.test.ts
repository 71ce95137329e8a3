import { describe, expect, it } from 'vitest';
import { restAppSign } from '../../sdk/sign.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { asyncRefusalOf } from '../testing/refusal.ts';
import { signatureFields, Type } from '../schema/beecloud-schema.ts';
import { checkWithSchema } from '../schema/request-validation.ts';
import { authenticateApp, type AppCredentials, type SecretScope, type SignatureFields } from './app-auth.ts';

const signedRequest = Type.Object(signatureFields);

/** The signature fields as a route's schema passes them on (JSON, or plain query parameters as text). */
function fieldsOf(values: Record<string, unknown>, source: 'json' | 'query' = 'json'): SignatureFields {
  return checkWithSchema<SignatureFields>(signedRequest, values, 'body', { fromText: source === 'query' });
}

const NOW = 1_790_000_000_000;

const testApp: AppCredentials = {
  appId: 'app-test',
  appSecret: 'app-secret',
  masterSecret: 'master-secret',
  testSecret: 'test-secret',
  mode: 'test',
};
const liveApp: AppCredentials = { ...testApp, appId: 'app-live', mode: 'live' };

function findApp(appId: string): Promise<AppCredentials | undefined> {
  return Promise.resolve([testApp, liveApp].find((app) => app.appId === appId));
}

function signedValues(app: AppCredentials, secret: string, timestamp = NOW): Record<string, unknown> {
  return { app_id: app.appId, timestamp, app_sign: restAppSign(app.appId, timestamp, secret) };
}

function signedFields(app: AppCredentials, secret: string, timestamp = NOW): SignatureFields {
  return fieldsOf(signedValues(app, secret, timestamp));
}

/** The refusal of a request with these fields: by its schema, else by the authentication. */
function refusal(
  fields: SignatureFields | Record<string, unknown>,
  scope: SecretScope = 'payment',
): Promise<BeeCloudError> {
  return asyncRefusalOf(
    async () => authenticateApp(fieldsOf(fields as Record<string, unknown>), { findApp, scope, now: NOW }),
    'the request was accepted',
  );
}

describe('REST request authentication', () => {
  it('accepts the secret each endpoint requires', async () => {
    const cases: [AppCredentials, string, SecretScope][] = [
      [liveApp, liveApp.appSecret, 'payment'],
      [testApp, testApp.testSecret, 'payment'],
      [testApp, testApp.appSecret, 'payment'],
      [liveApp, liveApp.masterSecret, 'master'],
      [testApp, testApp.masterSecret, 'master'],
      [liveApp, liveApp.testSecret, 'sandbox'],
      [testApp, testApp.testSecret, 'sandbox'],
    ];
    for (const [app, secret, scope] of cases) {
      const authenticated = await authenticateApp(signedFields(app, secret), { findApp, scope, now: NOW });
      expect(authenticated.appId).toBe(app.appId);
    }
  });

  it('refuses a secret meant for another endpoint, naming app_sign and the expected secret', async () => {
    const cases: [AppCredentials, string, SecretScope, string][] = [
      [liveApp, liveApp.masterSecret, 'payment', 'app_secret'],
      [liveApp, liveApp.testSecret, 'payment', 'app_secret'],
      [liveApp, liveApp.appSecret, 'master', 'master_secret'],
      [testApp, testApp.testSecret, 'master', 'master_secret'],
      [liveApp, liveApp.appSecret, 'sandbox', 'test_secret'],
    ];
    for (const [app, secret, scope, expected] of cases) {
      const error = await refusal(signedFields(app, secret), scope);
      expect(error.toAnswer()).toMatchObject({ result_code: 1, result_msg: 'APP_INVALID' });
      expect(error.detail).toMatch(/^app_sign: /);
      expect(error.detail).toContain(expected);
    }
  });

  it('compares the sign without regard to case', async () => {
    const fields = signedFields(liveApp, liveApp.appSecret);
    const upper = fieldsOf({ ...fields, app_sign: String(fields.app_sign).toUpperCase() });
    await expect(authenticateApp(upper, { findApp, scope: 'payment', now: NOW })).resolves.toMatchObject({
      appId: liveApp.appId,
    });
  });

  it('refuses timestamps outside the window, in both directions, and honours a configured window', async () => {
    for (const timestamp of [NOW - 5 * 60_000 - 1, NOW + 5 * 60_000 + 1]) {
      const error = await refusal(signedFields(liveApp, liveApp.appSecret, timestamp));
      expect(error.toAnswer().result_msg).toBe('APP_INVALID');
      expect(error.detail).toMatch(/^timestamp: /);
    }
    const edge = signedFields(liveApp, liveApp.appSecret, NOW - 5 * 60_000);
    await expect(authenticateApp(edge, { findApp, scope: 'payment', now: NOW })).resolves.toBeDefined();
    const narrow = signedFields(liveApp, liveApp.appSecret, NOW - 2_000);
    await expect(
      authenticateApp(narrow, { findApp, scope: 'payment', now: NOW, timestampWindowMs: 1_000 }),
    ).rejects.toThrow(/^timestamp: /);
  });

  it('names the missing or malformed field', async () => {
    const good = signedValues(liveApp, liveApp.appSecret);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...good, app_id: undefined }, 'MISS_PARAM', 'app_id'],
      [{ ...good, timestamp: undefined }, 'MISS_PARAM', 'timestamp'],
      [{ ...good, app_sign: undefined }, 'MISS_PARAM', 'app_sign'],
      [{ ...good, app_id: 42 }, 'PARAM_INVALID', 'app_id'],
      [{ ...good, timestamp: '1790000000000' }, 'PARAM_INVALID', 'timestamp'],
      [{ ...good, timestamp: 1.5 }, 'PARAM_INVALID', 'timestamp'],
      [{ ...good, app_sign: 'not-hex' }, 'APP_INVALID', 'app_sign'],
      [{ ...good, app_id: 'nobody' }, 'APP_INVALID', 'app_id'],
    ];
    for (const [values, resultMsg, field] of cases) {
      const error = await refusal(values);
      expect(error.toAnswer().result_msg).toBe(resultMsg);
      expect(error.detail.startsWith(`${field}: `)).toBe(true);
    }
  });

  it('says exactly what is wrong with each field', async () => {
    const good = signedValues(liveApp, liveApp.appSecret);
    const sign = String(good.app_sign);
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...good, app_id: 'a'.repeat(65) }, 'PARAM_INVALID', 'app_id: must be at most 64 characters'],
      [{ ...good, timestamp: -1 }, 'PARAM_INVALID', 'timestamp: must be an integer >= 0'],
      [{ ...good, app_sign: `0${sign}` }, 'APP_INVALID', 'app_sign: must be 32 hexadecimal digits'],
      [{ ...good, app_sign: `${sign}0` }, 'APP_INVALID', 'app_sign: must be 32 hexadecimal digits'],
      [{ ...good, app_sign: 'not-hex' }, 'APP_INVALID', 'app_sign: must be 32 hexadecimal digits'],
      [{ ...good, app_id: 'nobody' }, 'APP_INVALID', 'app_id: no such app'],
      [
        { ...good, timestamp: NOW - 3_600_000 },
        'APP_INVALID',
        'timestamp: is outside the allowed window of ±300 s around the server time (milliseconds since epoch expected)',
      ],
    ];
    for (const [values, resultMsg, detail] of cases) {
      const error = await refusal(values);
      expect(error.toAnswer().result_msg).toBe(resultMsg);
      expect(error.detail).toBe(detail);
    }
    const testModeMiss = await refusal(signedFields(testApp, testApp.masterSecret));
    expect(testModeMiss.detail).toBe(
      'app_sign: does not match md5(app_id + timestamp + test_secret or app_secret)',
    );
  });

  it('accepts the timestamp as text in plain query parameters', async () => {
    const values = signedValues(liveApp, liveApp.appSecret);
    const fields = fieldsOf({ ...values, timestamp: String(values.timestamp) }, 'query');
    await expect(authenticateApp(fields, { findApp, scope: 'payment', now: NOW })).resolves.toBeDefined();
  });
});
