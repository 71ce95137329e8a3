/**
 * Where webhook targets are set (issue 21 item 1, SSRF): a bill's notify_url, an app's webhook URL from the CLI
 * or a seed file. Internal targets are refused there with a BeeCloud error naming the field, unless the gateway
 * runs with the local-development switch.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAppsCli } from '../cli/apps-cli.ts';
import { newBillNo, rest } from '../rest/testing/rest-caller.ts';
import { startTestGateway, type TestGateway } from '../testing/gateway-harness.ts';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway({ allowPrivateTargets: false });
});

afterAll(async () => {
  await gateway?.close();
});

function sandboxBill(notifyUrl: string) {
  return rest(gateway, {
    method: 'POST',
    path: 'rest/sandbox/bill',
    payload: {
      channel: 'ALI_WEB',
      total_fee: 1,
      bill_no: newBillNo(),
      title: 'ssrf',
      return_url: 'https://shop.example/r',
      notify_url: notifyUrl,
    },
  });
}

describe('notify_url', () => {
  it.each([
    'http://127.0.0.1:8080/admin',
    'http://[::1]/x',
    'http://169.254.169.254/latest/meta-data/',
    'http://0/x',
    'http://2130706433/x',
    'http://10.0.0.5/x',
    'http://localhost:3000/webhook',
    'http://[::ffff:127.0.0.1]/x',
  ])('refuses %s on a sandbox bill', async (notifyUrl) => {
    const answer = await sandboxBill(notifyUrl);
    expect(answer.json).toMatchObject({ result_msg: 'PARAM_INVALID' });
    expect(String(answer.json.err_detail)).toMatch(/^notify_url: must not point at/);
  });

  it('accepts a public notify_url', async () => {
    expect((await sandboxBill('https://shop.example/hook?order=1')).json).toMatchObject({ result_code: 0 });
  });
});

describe('app webhook URLs', () => {
  it('refuses to seed an app whose webhook URL is internal', async () => {
    await expect(
      startTestGateway({ allowPrivateTargets: false, app: { webhookUrl: 'http://127.0.0.1:3000/webhook' } }),
    ).rejects.toThrow(/webhookUrl must not point at a loopback/);
  });

  it('refuses an internal --webhook-url in the apps CLI unless SPAY_ALLOW_PRIVATE_TARGETS=1', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'spay-targets-cli-'));
    try {
      await expect(
        runAppsCli(['create', '--name', 'x', '--webhook-url', 'http://169.254.169.254/'], dataDir),
      ).rejects.toThrow(/--webhook-url must not point at/);
      process.env.SPAY_ALLOW_PRIVATE_TARGETS = '1';
      const created = (await runAppsCli(
        ['create', '--name', 'x', '--webhook-url', 'http://127.0.0.1:3000/webhook'],
        dataDir,
      )) as { webhookUrl: string };
      expect(created.webhookUrl).toBe('http://127.0.0.1:3000/webhook');
    } finally {
      delete process.env.SPAY_ALLOW_PRIVATE_TARGETS;
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
