import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  describeConfig,
  gatewayVariables,
  readGatewayConfig,
  restTimestampWindowFromEnv,
  toolVariables,
} from './gateway-config.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;
const secretKey = 'ab'.repeat(32);
let dir: string;
let seedFile: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spay-config-'));
  seedFile = join(dir, 'app.json');
  await writeFile(
    seedFile,
    JSON.stringify({
      appId: 'app-1',
      appSecret: 's',
      masterSecret: 'm',
      testSecret: 't',
      webhookSecret: 'w',
    }),
  );
  await writeFile(join(dir, 'not-json.json'), '{ nope');
  await writeFile(join(dir, 'array.json'), '[]');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function errorOf(env: NodeJS.ProcessEnv): ConfigError {
  try {
    readGatewayConfig(env, dir);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`no ConfigError for ${JSON.stringify(env)}`);
}

describe('defaults', () => {
  it('an empty environment starts the documented defaults; an empty variable counts as unset', () => {
    const { config } = readGatewayConfig({ SPAY_SEED_APP: '', SPAY_DATABASE_URL: '' }, dir);
    expect(config).toEqual({
      host: '127.0.0.1',
      port: 8080,
      dataDir: resolve(dir, 'data'),
      seedApps: [],
      widgetDir: resolve(dir, 'dist/widget'),
      consoleDir: resolve(dir, 'dist/console'),
      allowPrivateTargets: false,
      webhookRetryScale: 1,
      logger: true,
      debug: false,
      rateLimit: {
        writesPerMinute: 600,
        readsPerMinute: 6000,
        restPerMinutePerIp: 3000,
        restPerMinutePerApp: 6000,
      },
      connectionLimits: { maxConnectionsPerIp: 256 },
      trustProxy: false,
      timings: {},
      metrics: {},
    });
  });

  it('reads every variable it documents', () => {
    const { config, entries } = readGatewayConfig(
      {
        SPAY_GATEWAY_HOST: '0.0.0.0',
        SPAY_GATEWAY_PORT: '0',
        SPAY_DATA_DIR: 'var/spay',
        SPAY_DATABASE_URL: 'postgres://spay:hunter2@db.internal:5432/spay',
        SPAY_SECRET_KEY: secretKey,
        SPAY_SEED_APP: 'app.json',
        SPAY_WIDGET_DIR: '/srv/widget',
        SPAY_CONSOLE_DIR: '/srv/console',
        SPAY_ALLOW_PRIVATE_TARGETS: '1',
        SPAY_WEBHOOK_RETRY_SCALE: '0.01',
        SPAY_WEBHOOK_LEASE_MS: '5000',
        SPAY_PUBLIC_URL: 'https://pay.example.com/',
        SPAY_LOG: '0',
        SPAY_DEBUG: 'true',
        SPAY_RATE_LIMIT_WRITES: '10',
        SPAY_RATE_LIMIT_READS: '20',
        SPAY_RATE_LIMIT_REST: '30',
        SPAY_RATE_LIMIT_REST_APP: '40',
        SPAY_MAX_CONNECTIONS_PER_IP: '8',
        SPAY_MAX_CONNECTIONS: '900',
        SPAY_TRUST_PROXY: '10.0.0.0/8, 192.168.1.1,::1',
        SPAY_RECONCILE_AFTER_MS: '1500',
        SPAY_RECONCILE_PASS_MS: '200',
        SPAY_REFUND_SETTLE_MS: '1000',
        SPAY_REST_TIMESTAMP_WINDOW_MS: '60000',
        SPAY_METRICS_TOKEN: 'scrape-0123456789abcdef',
        SPAY_METRICS_ADDRESS: '[::1]:9464',
      },
      dir,
    );
    expect(config).toMatchObject({
      host: '0.0.0.0',
      port: 0,
      dataDir: resolve(dir, 'var/spay'),
      databaseUrl: 'postgres://spay:hunter2@db.internal:5432/spay',
      seedAppFile: seedFile,
      widgetDir: '/srv/widget',
      consoleDir: '/srv/console',
      allowPrivateTargets: true,
      webhookRetryScale: 0.01,
      webhookLeaseMs: 5000,
      publicUrl: 'https://pay.example.com',
      logger: false,
      debug: true,
      rateLimit: { writesPerMinute: 10, readsPerMinute: 20, restPerMinutePerIp: 30, restPerMinutePerApp: 40 },
      connectionLimits: { maxConnectionsPerIp: 8, maxConnections: 900 },
      trustProxy: ['10.0.0.0/8', '192.168.1.1', '::1'],
      timings: { reconcileAfterMs: 1500, reconcilePassMs: 200, refundSettleMs: 1000 },
      restTimestampWindowMs: 60000,
      metrics: { token: 'scrape-0123456789abcdef', address: { host: '::1', port: 9464 } },
    });
    expect(config.seedApps.map((app) => app.appId)).toEqual(['app-1']);
    expect(entries.map((entry) => entry.variable)).toEqual(gatewayVariables.map((spec) => spec.variable));
    expect(entries.every((entry) => entry.source === 'environment')).toBe(true);
  });

  it('SPAY_RATE_LIMIT_WRITES=0 turns rate limits off; SPAY_TRUST_PROXY=1 trusts any proxy', () => {
    const { config } = readGatewayConfig({ SPAY_RATE_LIMIT_WRITES: '0', SPAY_TRUST_PROXY: '1' }, dir);
    expect(config.rateLimit).toBe(false);
    expect(config.trustProxy).toBe(true);
  });
});

describe('every bad value stops start-up with one line naming the variable and what it expects', () => {
  const cases: [variable: string, value: string, expected: RegExp][] = [
    ['SPAY_GATEWAY_HOST', 'not a host!', /an IP address or host name/],
    ['SPAY_GATEWAY_PORT', 'eighty', /a port number from 0 to 65535/],
    ['SPAY_GATEWAY_PORT', '65536', /a port number from 0 to 65535/],
    ['SPAY_GATEWAY_PORT', '-1', /a port number/],
    ['SPAY_DATABASE_URL', 'mysql://db/spay', /a postgres:\/\/ or postgresql:\/\/ URL/],
    ['SPAY_DATABASE_URL', 'postgres:nothing', /a postgres:\/\/ or postgresql:\/\/ URL with a host/],
    ['SPAY_SECRET_KEY', 'short', /32 bytes written as 64 hex characters or base64/],
    ['SPAY_SEED_APP', 'missing.json', /a readable JSON file holding an app/],
    ['SPAY_SEED_APP', 'not-json.json', /a readable JSON file/],
    ['SPAY_SEED_APP', 'array.json', /at least appId and appSecret/],
    ['SPAY_ALLOW_PRIVATE_TARGETS', 'yes please', /0 or 1/],
    ['SPAY_WEBHOOK_RETRY_SCALE', '0', /a number greater than 0/],
    ['SPAY_WEBHOOK_RETRY_SCALE', 'fast', /a number greater than 0/],
    ['SPAY_WEBHOOK_LEASE_MS', '1.5', /milliseconds from 1 to 86400000/],
    ['SPAY_PUBLIC_URL', 'pay.example.com', /an http:\/\/ or https:\/\/ URL/],
    ['SPAY_PUBLIC_URL', 'ftp://pay.example.com', /an http:\/\/ or https:\/\/ URL/],
    ['SPAY_PUBLIC_URL', 'https://user:pw@pay.example.com', /without query, fragment or credentials/],
    ['SPAY_LOG', 'verbose', /0 or 1/],
    ['SPAY_DEBUG', '2', /0 or 1/],
    ['SPAY_RATE_LIMIT_WRITES', '10/min', /a whole number of requests per minute/],
    ['SPAY_RATE_LIMIT_READS', '0', /a whole number of requests per minute/],
    ['SPAY_RATE_LIMIT_REST', '1e3', /a whole number/],
    ['SPAY_RATE_LIMIT_REST_APP', 'lots', /a whole number/],
    ['SPAY_MAX_CONNECTIONS_PER_IP', '0', /a whole number from 1/],
    ['SPAY_MAX_CONNECTIONS', 'many', /a whole number from 1/],
    ['SPAY_TRUST_PROXY', 'proxy.example.com', /IP addresses \/ CIDRs/],
    ['SPAY_TRUST_PROXY', '10.0.0.0/33', /IP addresses \/ CIDRs/],
    ['SPAY_RECONCILE_AFTER_MS', '30s', /milliseconds/],
    ['SPAY_RECONCILE_PASS_MS', '0', /milliseconds from 1/],
    ['SPAY_REFUND_SETTLE_MS', '99999999999', /milliseconds from 1 to 86400000/],
    ['SPAY_REST_TIMESTAMP_WINDOW_MS', 'five minutes', /milliseconds/],
    ['SPAY_METRICS_TOKEN', 'short', /at least 16 printable characters/],
    ['SPAY_METRICS_TOKEN', 'has a space in it, sadly', /without spaces/],
    ['SPAY_METRICS_ADDRESS', '9464', /HOST:PORT/],
    ['SPAY_METRICS_ADDRESS', '127.0.0.1:99999', /HOST:PORT/],
  ];
  it.each(cases)('%s=%s', (variable, value, expected) => {
    const error = errorOf({ [variable]: value });
    expect(error.variable).toBe(variable);
    expect(error.message).toMatch(new RegExp(`^${variable} must be `));
    expect(error.message).toMatch(expected);
    expect(error.message).not.toContain('\n');
  });

  it('every gateway variable has an error path above', () => {
    const tested = new Set(cases.map(([variable]) => variable));
    const untested = gatewayVariables
      .map((spec) => spec.variable)
      .filter(
        (variable) =>
          !tested.has(variable) &&
          !['SPAY_DATA_DIR', 'SPAY_WIDGET_DIR', 'SPAY_CONSOLE_DIR'].includes(variable),
      );
    // The directory paths accept any text (they are created or read later, where failures are described).
    expect(untested).toEqual([]);
  });

  it('a secret in a bad value is not repeated', () => {
    const secretish = 'k'.repeat(40);
    const error = errorOf({ SPAY_SECRET_KEY: secretish });
    expect(error.message).not.toContain(secretish);
    expect(error.message).toMatch(/a value of 40 characters \(not shown\)/);
    const url = 'mysql://root:topsecret@db/spay';
    expect(errorOf({ SPAY_DATABASE_URL: url }).message).not.toContain('topsecret');
  });

  it('the REST module reads its window with the same check', () => {
    expect(restTimestampWindowFromEnv({ SPAY_REST_TIMESTAMP_WINDOW_MS: '1000' })).toBe(1000);
    expect(restTimestampWindowFromEnv({})).toBeUndefined();
    expect(() => restTimestampWindowFromEnv({ SPAY_REST_TIMESTAMP_WINDOW_MS: 'x' })).toThrow(
      /^SPAY_REST_TIMESTAMP_WINDOW_MS must be milliseconds/,
    );
  });
});

describe('--print-config', () => {
  it('lists every variable with its effective value, secrets masked', () => {
    const { entries } = readGatewayConfig(
      {
        SPAY_SECRET_KEY: secretKey,
        SPAY_DATABASE_URL: 'postgresql://spay:hunter2@db.internal/spay',
        SPAY_GATEWAY_PORT: '9090',
        SPAY_METRICS_TOKEN: 'scrape-0123456789abcdef',
      },
      dir,
    );
    const text = describeConfig(entries);
    expect(text.split('\n')).toHaveLength(gatewayVariables.length);
    expect(text).not.toContain(secretKey);
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('scrape-0123456789abcdef');
    expect(text).toMatch(/^SPAY_SECRET_KEY=\(set, 64 characters, hidden\)\s+\(environment\)/m);
    expect(text).toMatch(
      /^SPAY_DATABASE_URL=postgresql:\/\/spay:\*{5}@db\.internal\/spay\s+\(environment\)/m,
    );
    expect(text).toMatch(/^SPAY_GATEWAY_PORT=9090\s+\(environment\)/m);
    expect(text).toMatch(/^SPAY_GATEWAY_HOST=127\.0\.0\.1\s+\(default\)/m);
  });
});

describe('every SPAY_* variable in the repository is the gateway’s or a named tool’s', () => {
  it('is listed', () => {
    const output = execFileSync(
      'git',
      ['grep', '-hoE', 'SPAY_[A-Z0-9_]*[A-Z0-9]', '--', '*.ts', '*.json', '*.md', '*.sh'],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    const found = new Set(output.split('\n').filter(Boolean));
    const known = new Set([...gatewayVariables.map((spec) => spec.variable), ...Object.keys(toolVariables)]);
    // SPAY_SIM_ alone is a prefix in prose ("SPAY_SIM_* variables").
    const unknown = [...found].filter((name) => !known.has(name) && name !== 'SPAY_SIM');
    expect(unknown).toEqual([]);
  });
});

describe('npm run gateway', () => {
  function run(env: NodeJS.ProcessEnv, args: string[] = []) {
    const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/main.ts', ...args], {
      cwd: repoRoot,
      env: {
        ...process.env,
        SPAY_DATA_DIR: join(dir, 'data'),
        SPAY_GATEWAY_PORT: '0',
        SPAY_LOG: '0',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    return new Promise<{ code: number | null; stdout: string; stderr: string }>((done) =>
      child.on('exit', (code) => done({ code, stdout, stderr })),
    );
  }

  it('stops on a bad variable with one line on stderr, exit code 2, nothing opened', async () => {
    const result = await run({ SPAY_GATEWAY_PORT: 'http' });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'spay gateway: SPAY_GATEWAY_PORT must be a port number from 0 to 65535, got "http"\n',
    );
    expect(result.stdout).toBe('');
  }, 30_000);

  it('--print-config prints the configuration, secrets masked, and exits', async () => {
    const result = await run({ SPAY_SECRET_KEY: secretKey }, ['--print-config']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^SPAY_GATEWAY_PORT=0\s+\(environment\)/m);
    expect(result.stdout).toMatch(/^SPAY_SECRET_KEY=\(set, 64 characters, hidden\)/m);
    expect(result.stdout).not.toContain(secretKey);
  }, 30_000);
});
