/**
 * The gateway's node flags have one definition (`config.gatewayNodeFlags` in package.json): `npm run gateway` and
 * `npm start` pass it to node, and the gateway processes the bench, the reliability suite and the crash tests start
 * run with the same flags — what is measured is what a merchant runs.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testApp } from './gateway-harness.ts';
import { gatewayNodeFlags, startGatewayProcess, type GatewayProcess } from './gateway-process.ts';

const repoRoot = new URL('../../', import.meta.url).pathname;
const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
  config: { gatewayNodeFlags: string };
  scripts: Record<string, string>;
};
const running: GatewayProcess[] = [];
const dataDirs: string[] = [];

afterAll(async () => {
  for (const gateway of running) await gateway.kill('SIGKILL');
  for (const dir of dataDirs) await rm(dir, { recursive: true, force: true });
});

async function commandLine(pid: number): Promise<string[]> {
  return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').filter((part) => part !== '');
}

describe('the gateway’s node flags', () => {
  it('caps V8’s young generation, read from package.json', () => {
    expect(gatewayNodeFlags()).toEqual(['--max-semi-space-size=8', '--heap-growing-percent=50']);
    expect(gatewayNodeFlags()).toEqual(manifest.config.gatewayNodeFlags.split(' '));
  });

  it('are what `npm run gateway` and `npm start` give node', () => {
    expect(manifest.scripts.gateway).toContain(
      'node $npm_package_config_gatewayNodeFlags dist/gateway/main.js',
    );
    expect(manifest.scripts.start).toContain('tsx $npm_package_config_gatewayNodeFlags scripts/start.ts');
  });

  it('are on the command line of a gateway started as a process', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'spay-node-flags-'));
    dataDirs.push(dataDir);
    const gateway = await startGatewayProcess({
      dataDir,
      app: testApp(),
      widgetDir: join(dataDir, 'no-widget'),
    });
    running.push(gateway);
    const args = await commandLine(gateway.pid);
    expect(args.slice(1, 1 + gatewayNodeFlags().length)).toEqual(gatewayNodeFlags());
    expect(args).toContain('gateway/main.ts');
    // It answers: the flags are ones node accepts.
    expect((await fetch(`${gateway.url}/2/rest/bill_public/none`)).status).toBeLessThan(500);
  });
});
