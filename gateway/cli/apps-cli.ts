/**
 * `npm run app -- <command>`: manage the gateway's apps in SPAY_DATA_DIR (./data).
 *   create --name NAME [--mode test|live] [--channels ali,wxmp,wx,un] [--webhook-url URL] [--live-webhook-url URL]
 *   show APP_ID           (prints the app with its secrets: operator use only)
 *   list
 *   set APP_ID [--name …] [--mode …] [--channels …] [--webhook-url …] [--live-webhook-url …]
 *              [--allowed-origins https://shop.example,…] [--button-sign legacy|v2] [--request-sign legacy|v2]
 *   rotate APP_ID --secret app|master|test|webhook
 *   channel-settings APP_ID --family ALI|WX|UN --file settings.json
 *                         (checked by the installed channel family's parseSettings; prints them masked)
 *   clear-channel-settings APP_ID --family ALI|WX|UN
 * Output is JSON on stdout; errors go to stderr with exit code 1 (2 for usage errors).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { normaliseOrigin } from '../apps/allowed-origins.ts';
import type { App, AppMode, SeedApp, SignPolicy } from '../apps/app.ts';
import { ChannelSettingsError, type ChannelFamily } from '../channels/channel.ts';
import { isCredentialFamily } from '../channels/channels.ts';
import { installedChannelFamilies } from '../channels/families.ts';
import { openStore, type GatewayStore, type StoreLocation } from '../storage/store.ts';
import { privateTargetsAllowedByEnv, targetRefusal } from '../net/target-policy.ts';
import { CliError, parseCliArgs } from './cli-args.ts';

const knownChannels = ['ali', 'aliqr', 'wxmp', 'wx', 'wxwap', 'un', 'unwap'];

const usage = `usage: npm run app -- create --name NAME [--mode test|live] [--channels ali,wxmp,wx,un] [--webhook-url URL] [--live-webhook-url URL]
       npm run app -- show APP_ID
       npm run app -- list
       npm run app -- set APP_ID [--name NAME] [--mode test|live] [--channels …] [--webhook-url URL] [--live-webhook-url URL]
                              [--allowed-origins ORIGIN,ORIGIN] [--button-sign legacy|v2] [--request-sign legacy|v2]
       npm run app -- rotate APP_ID --secret app|master|test|webhook
       npm run app -- channel-settings APP_ID --family ALI|WX|UN --file settings.json
       npm run app -- clear-channel-settings APP_ID --family ALI|WX|UN`;

function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

function parseMode(value: string | undefined): AppMode | undefined {
  if (value === undefined) return undefined;
  if (value !== 'test' && value !== 'live') throw new CliError('--mode must be test or live');
  return value;
}

function parseChannels(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const channels = value
    .split(',')
    .map((code) => code.trim())
    .filter(Boolean);
  const unknown = channels.filter((code) => !knownChannels.includes(code));
  if (unknown.length > 0)
    throw new CliError(`--channels: unknown ${unknown.join(', ')} (known: ${knownChannels.join(', ')})`);
  if (new Set(channels).size !== channels.length) throw new CliError('--channels: a channel is listed twice');
  return channels;
}

/** A webhook URL: http(s), and not loopback / private / link-local unless SPAY_ALLOW_PRIVATE_TARGETS=1. */
function parseUrl(value: string | undefined, option: string): string | undefined {
  if (value === undefined || value === '') return value;
  try {
    const url = new URL(value);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new CliError(`${option} must be an http(s) URL`);
  }
  const refusal = targetRefusal(value, privateTargetsAllowedByEnv());
  if (refusal) {
    throw new CliError(`${option} ${refusal} (SPAY_ALLOW_PRIVATE_TARGETS=1 allows it for local development)`);
  }
  return value;
}

/** `--allowed-origins a,b` → normalised origins ("" clears the list). */
function parseOrigins(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const origins: string[] = [];
  for (const text of value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean)) {
    const result = normaliseOrigin(text);
    if ('error' in result) throw new CliError(`--allowed-origins: ${result.error}`);
    if (!origins.includes(result.origin)) origins.push(result.origin);
  }
  return origins;
}

/** `--button-sign` / `--request-sign`: legacy (md5 still accepted) or v2 (required). */
function parseSignPolicy(value: string | undefined, option: string): SignPolicy | undefined {
  if (value === undefined) return undefined;
  if (value === 'legacy') return 'legacy_allowed';
  if (value === 'v2') return 'v2_required';
  throw new CliError(`${option} must be legacy (md5 signs still accepted) or v2 (only v2 signs)`);
}

async function requireApp(apps: GatewayStore['apps'], appId: string | undefined): Promise<App> {
  if (!appId) throw new CliError('an APP_ID is required');
  const app = await apps.findApp(appId);
  if (!app) throw new CliError(`no app ${appId}`);
  return app;
}

/** Reads, checks (the family's parseSettings) and stores an app's live settings for a channel family. */
async function setChannelSettings(
  apps: GatewayStore['apps'],
  app: App,
  options: Map<string, string>,
  families: readonly ChannelFamily[],
  clear: boolean,
): Promise<unknown> {
  const name = options.get('family');
  if (!name || !isCredentialFamily(name)) throw new CliError('--family must be ALI, WX or UN');
  const settings = { ...app.channelSettings };
  if (clear) {
    delete settings[name];
    await apps.updateApp(app.appId, { channelSettings: settings });
    return { appId: app.appId, family: name, settings: null };
  }
  const family = families.find((candidate) => candidate.family === name);
  if (!family) throw new CliError(`no ${name} channel family is installed in this gateway`);
  const file = options.get('file');
  if (!file) throw new CliError('--file (a JSON file of the settings) is required');
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new CliError(`--file: ${error instanceof Error ? error.message : String(error)}`);
  }
  let parsed: unknown;
  try {
    parsed = family.parseSettings(input);
  } catch (error) {
    if (error instanceof ChannelSettingsError) throw new CliError(`settings ${error.message}`);
    throw error;
  }
  settings[name] = parsed as Record<string, unknown>;
  await apps.updateApp(app.appId, { channelSettings: settings });
  return { appId: app.appId, family: name, settings: family.maskSettings(parsed) };
}

/** `where`: the data directory (SQLite), or the store's location (a PostgreSQL URL). */
export async function runAppsCli(
  argv: string[],
  where: string | StoreLocation,
  families: readonly ChannelFamily[] = installedChannelFamilies,
): Promise<unknown> {
  const { positional, options } = parseCliArgs(argv);
  const [command, appId] = positional;
  const store = await openStore(typeof where === 'string' ? { dataDir: where } : where);
  try {
    const apps = store.apps;
    switch (command) {
      case 'create': {
        const name = options.get('name');
        if (!name) throw new CliError('--name is required');
        const id = randomUUID();
        const seed: SeedApp = {
          appId: id,
          name,
          appSecret: newSecret(),
          masterSecret: newSecret(),
          testSecret: newSecret(),
          webhookSecret: `whsec_${randomBytes(32).toString('base64')}`,
          mode: parseMode(options.get('mode')) ?? 'test',
          channels: parseChannels(options.get('channels')) ?? ['ali', 'wxmp', 'wx', 'un'],
          webhookUrl: parseUrl(options.get('webhook-url'), '--webhook-url') ?? '',
          liveWebhookUrl: parseUrl(options.get('live-webhook-url'), '--live-webhook-url') ?? '',
          allowedOrigins: parseOrigins(options.get('allowed-origins')) ?? [],
          buttonSign: parseSignPolicy(options.get('button-sign'), '--button-sign') ?? 'legacy_allowed',
          requestSign: parseSignPolicy(options.get('request-sign'), '--request-sign') ?? 'legacy_allowed',
        };
        await apps.seedApp(seed);
        return await apps.findApp(id);
      }
      case 'show':
        return await requireApp(apps, appId);
      case 'list':
        return (await apps.listApps()).map((app) => ({
          appId: app.appId,
          name: app.name,
          mode: app.mode,
          channels: app.channels,
          webhookUrl: app.webhookUrl,
          allowedOrigins: app.allowedOrigins,
          buttonSign: app.buttonSign,
          requestSign: app.requestSign,
        }));
      case 'set': {
        const app = await requireApp(apps, appId);
        const changes: Partial<SeedApp> = {};
        const name = options.get('name');
        if (name !== undefined) changes.name = name;
        const mode = parseMode(options.get('mode'));
        if (mode) changes.mode = mode;
        const channels = parseChannels(options.get('channels'));
        if (channels) changes.channels = channels;
        const webhookUrl = parseUrl(options.get('webhook-url'), '--webhook-url');
        if (webhookUrl !== undefined) changes.webhookUrl = webhookUrl;
        const liveUrl = parseUrl(options.get('live-webhook-url'), '--live-webhook-url');
        if (liveUrl !== undefined) changes.liveWebhookUrl = liveUrl;
        const allowedOrigins = parseOrigins(options.get('allowed-origins'));
        if (allowedOrigins !== undefined) changes.allowedOrigins = allowedOrigins;
        const buttonSign = parseSignPolicy(options.get('button-sign'), '--button-sign');
        if (buttonSign !== undefined) changes.buttonSign = buttonSign;
        const requestSign = parseSignPolicy(options.get('request-sign'), '--request-sign');
        if (requestSign !== undefined) changes.requestSign = requestSign;
        if (Object.keys(changes).length === 0) throw new CliError('nothing to set');
        return await apps.updateApp(app.appId, changes);
      }
      case 'rotate': {
        const app = await requireApp(apps, appId);
        const which = options.get('secret');
        const field = {
          app: 'appSecret',
          master: 'masterSecret',
          test: 'testSecret',
          webhook: 'webhookSecret',
        }[which ?? ''] as keyof SeedApp | undefined;
        if (!field) throw new CliError('--secret must be app, master, test or webhook');
        const value = which === 'webhook' ? `whsec_${randomBytes(32).toString('base64')}` : newSecret();
        return await apps.updateApp(app.appId, { [field]: value });
      }
      case 'channel-settings':
      case 'clear-channel-settings':
        return await setChannelSettings(
          apps,
          await requireApp(apps, appId),
          options,
          families,
          command === 'clear-channel-settings',
        );
      default:
        throw new CliError(command ? `unknown command ${command}` : 'a command is required');
    }
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runAppsCli(process.argv.slice(2), {
    dataDir: resolve(process.env.SPAY_DATA_DIR || 'data'),
    databaseUrl: process.env.SPAY_DATABASE_URL,
  }).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      if (error instanceof CliError) console.error(usage);
      process.exit(error instanceof CliError ? 2 : 1);
    },
  );
}
