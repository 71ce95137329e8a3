/** The operators' CLIs against a real data directory: apps (create, show, set, rotate, list) and webhooks. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../apps/app.ts';
import { ChannelSettingsError, type ChannelFamily } from '../channels/channel.ts';
import { createBill, pressSandboxButton, startTestGateway } from '../testing/gateway-harness.ts';
import { runAppsCli } from './apps-cli.ts';
import { CliError } from './cli-args.ts';
import { runWebhooksCli } from './webhooks-cli.ts';

let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'spay-cli-test-'));
});

afterAll(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

/** A channel family as the CLI sees it: settings checked and masked (its adapter is never built here). */
const settingsOnlyFamily: ChannelFamily<{ app_id: string; private_key: string }> = {
  family: 'ALI',
  channels: ['ALI_WEB'],
  parseSettings(input) {
    const value = input as Record<string, unknown>;
    if (typeof value.app_id !== 'string') throw new ChannelSettingsError('app_id', 'is required');
    if (typeof value.private_key !== 'string' || !value.private_key.includes('PRIVATE KEY')) {
      throw new ChannelSettingsError('private_key', 'is not a PEM private key');
    }
    return { app_id: value.app_id, private_key: value.private_key };
  },
  maskSettings: (settings) => ({ app_id: settings.app_id, private_key: '••••' }),
  createAdapter() {
    throw new Error('the CLI never builds adapters');
  },
};

describe('npm run app channel-settings', () => {
  it('checks the settings with the family, stores them, answers them masked, and clears them', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'spay-cli-settings-'));
    const app = (await runAppsCli(['create', '--name', 'live shop'], dataDir)) as App;
    const file = join(dataDir, 'ali.json');
    await writeFile(file, JSON.stringify({ app_id: '2021000000', private_key: 'not a key' }));
    await expect(
      runAppsCli(['channel-settings', app.appId, '--family', 'ALI', '--file', file], dataDir, [
        settingsOnlyFamily,
      ]),
    ).rejects.toThrow(/private_key: is not a PEM private key/);
    await writeFile(
      file,
      JSON.stringify({ app_id: '2021000000', private_key: '-----BEGIN PRIVATE KEY-----x' }),
    );
    expect(
      await runAppsCli(['channel-settings', app.appId, '--family', 'ALI', '--file', file], dataDir, [
        settingsOnlyFamily,
      ]),
    ).toEqual({ appId: app.appId, family: 'ALI', settings: { app_id: '2021000000', private_key: '••••' } });
    expect(((await runAppsCli(['show', app.appId], dataDir)) as App).channelSettings.ALI).toMatchObject({
      app_id: '2021000000',
    });
    await expect(
      runAppsCli(['channel-settings', app.appId, '--family', 'WX', '--file', file], dataDir, [
        settingsOnlyFamily,
      ]),
    ).rejects.toThrow(/no WX channel family is installed/);
    await runAppsCli(['clear-channel-settings', app.appId, '--family', 'ALI'], dataDir);
    expect(((await runAppsCli(['show', app.appId], dataDir)) as App).channelSettings).toEqual({});
    await rm(dataDir, { recursive: true, force: true });
  });
});

describe('npm run app', () => {
  it('creates an app with fresh ids and secrets, shows it, changes it and rotates a secret', async () => {
    const created = (await runAppsCli(
      ['create', '--name', '小店', '--channels', 'ali,wxmp', '--webhook-url', 'https://shop.example/webhook'],
      dataDir,
    )) as App;
    expect(created).toMatchObject({ name: '小店', mode: 'test', channels: ['ali', 'wxmp'] });
    expect(created.appId).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.webhookSecret).toMatch(/^whsec_/);
    expect(new Set([created.appSecret, created.masterSecret, created.testSecret]).size).toBe(3);

    expect(await runAppsCli(['show', created.appId], dataDir)).toEqual(created);
    const changed = (await runAppsCli(
      ['set', created.appId, '--mode=live', '--channels', 'un,ali'],
      dataDir,
    )) as App;
    expect(changed).toMatchObject({ mode: 'live', channels: ['un', 'ali'], appSecret: created.appSecret });
    const rotated = (await runAppsCli(['rotate', created.appId, '--secret', 'app'], dataDir)) as App;
    expect(rotated.appSecret).not.toBe(created.appSecret);
    expect(rotated.masterSecret).toBe(created.masterSecret);
    const list = (await runAppsCli(['list'], dataDir)) as Array<Record<string, unknown>>;
    expect(list).toEqual([expect.objectContaining({ appId: created.appId, name: '小店' })]);
    expect(JSON.stringify(list)).not.toContain(created.masterSecret);
  });

  it('sets the security settings: registered origins, the button sign and the request sign', async () => {
    const created = (await runAppsCli(['create', '--name', 'origins'], dataDir)) as App;
    expect(created).toMatchObject({
      allowedOrigins: [],
      buttonSign: 'legacy_allowed',
      requestSign: 'legacy_allowed',
    });
    const changed = (await runAppsCli(
      [
        'set',
        created.appId,
        '--allowed-origins',
        'https://Shop.Example:443, http://127.0.0.1:3000',
        '--button-sign',
        'v2',
        '--request-sign',
        'v2',
      ],
      dataDir,
    )) as App;
    expect(changed).toMatchObject({
      allowedOrigins: ['https://shop.example', 'http://127.0.0.1:3000'],
      buttonSign: 'v2_required',
      requestSign: 'v2_required',
    });
    const back = (await runAppsCli(
      ['set', created.appId, '--allowed-origins=', '--button-sign', 'legacy'],
      dataDir,
    )) as App;
    expect(back).toMatchObject({
      allowedOrigins: [],
      buttonSign: 'legacy_allowed',
      requestSign: 'v2_required',
    });
  });

  it.each([
    [
      ['create', '--name', 'x', '--allowed-origins', 'https://shop.example/pay'],
      /--allowed-origins.*no path/,
    ],
    [['create', '--name', 'x', '--allowed-origins', 'ftp://shop.example'], /--allowed-origins/],
    [['create', '--name', 'x', '--button-sign', 'sha1'], /--button-sign must be legacy .* or v2/],
    [['create', '--name', 'x', '--request-sign', 'yes'], /--request-sign/],
    [[], /command is required/],
    [['create'], /--name is required/],
    [['create', '--name', 'x', '--channels', 'ali,paypal'], /unknown paypal/],
    [['create', '--name', 'x', '--mode', 'prod'], /--mode/],
    [['create', '--name', 'x', '--webhook-url', 'ftp://x'], /--webhook-url/],
    [['show', 'nobody'], /no app nobody/],
    [['set', 'nobody', '--name', 'x'], /no app nobody/],
    [['rotate', 'nobody', '--secret', 'app'], /no app nobody/],
    [['explode'], /unknown command explode/],
  ])('refuses %j', async (argv, message) => {
    await expect(runAppsCli(argv as string[], dataDir)).rejects.toThrow(message);
    await expect(runAppsCli(argv as string[], dataDir)).rejects.toBeInstanceOf(CliError);
  });
});

describe('npm run webhooks', () => {
  it('lists the outbox and schedules a resend', async () => {
    const kept = await startTestGateway({ dataDir: join(dataDir, 'gw') });
    let billNo = '';
    try {
      const bill = await createBill(kept, 'UN_WEB');
      await pressSandboxButton(`${kept.url}/sandbox/cashier/${bill.id}/pay`);
      billNo = (
        (await (await fetch(`${kept.url}/2/rest/bill_public/${bill.id}`)).json()) as {
          pay: { bill_no: string };
        }
      ).pay.bill_no;
    } finally {
      await kept.close();
    }
    const listed = (await runWebhooksCli(['list', '--transaction', billNo], join(dataDir, 'gw'))) as Array<{
      id: string;
      status: string;
    }>;
    expect(listed).toEqual([expect.objectContaining({ transaction_id: billNo, status: 'no_endpoint' })]);
    expect(await runWebhooksCli(['resend', listed[0]!.id], join(dataDir, 'gw'))).toEqual({ resent: 1 });
    await expect(runWebhooksCli(['resend', 'msg_none'], join(dataDir, 'gw'))).rejects.toThrow(/no webhook/);
    await expect(runWebhooksCli(['list', '--status', 'lost'], join(dataDir, 'gw'))).rejects.toThrow(
      /--status/,
    );
  });
});
