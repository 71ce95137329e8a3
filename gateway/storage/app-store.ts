/** The apps store: lookup by appId, seeding from config files, create and update (the apps CLI). */
import type { Selectable, Updateable } from 'kysely';
import type { AppTable, GatewayTx } from './tables.ts';
import { runCompiledOnce } from './compiled-once.ts';
import type { App, PreviousSecret, SecretKind, SeedApp } from '../apps/app.ts';
import type { SecretSealer } from './secret-sealer.ts';

function toApp(row: Selectable<AppTable>, sealer: SecretSealer): App {
  return {
    appId: row.app_id,
    name: row.name,
    appSecret: row.app_secret,
    masterSecret: row.master_secret,
    testSecret: row.test_secret,
    webhookSecret: row.webhook_secret,
    mode: row.mode,
    webhookUrl: row.webhook_url,
    liveWebhookUrl: row.live_webhook_url,
    channels: JSON.parse(row.channels) as string[],
    channelSettings: JSON.parse(sealer.open(row.channel_settings)) as App['channelSettings'],
    buttonSign: row.button_sign === 'v2_required' ? 'v2_required' : 'legacy_allowed',
    requestSign: row.request_sign === 'v2_required' ? 'v2_required' : 'legacy_allowed',
    allowedOrigins: JSON.parse(row.allowed_origins) as string[],
    previousSecrets: JSON.parse(row.retired_secrets ?? '[]') as PreviousSecret[],
    secretsRotatedAt: JSON.parse(row.secrets_rotated_at ?? '{}') as Partial<Record<SecretKind, number>>,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

const secretColumns = {
  app: 'app_secret',
  master: 'master_secret',
  test: 'test_secret',
  webhook: 'webhook_secret',
} as const;

/** Channel settings as stored: sealed (they hold channel private keys), unless there are none. */
function storedSettings(settings: App['channelSettings'], sealer: SecretSealer): string {
  const json = JSON.stringify(settings);
  return Object.keys(settings).length === 0 ? json : sealer.seal(json);
}

export class AppStore {
  constructor(
    private readonly db: GatewayTx,
    private readonly sealer: SecretSealer,
  ) {}

  async findApp(appId: string): Promise<App | undefined> {
    // Compiled once (compiled-once.ts): every signed REST request reads its app.
    const { rows } = await runCompiledOnce(this.db, 'findApp', { app_id: appId }, (key) =>
      this.db.selectFrom('apps').selectAll().where('app_id', '=', key.app_id),
    );
    const row = rows[0];
    return row ? toApp(row, this.sealer) : undefined;
  }

  async listApps(): Promise<App[]> {
    const rows = await this.db.selectFrom('apps').selectAll().orderBy('created_at').execute();
    return rows.map((row) => toApp(row, this.sealer));
  }

  /** Creates the app unless one with that appId exists; returns true when it was created. */
  async seedApp(seed: SeedApp, now = Date.now()): Promise<boolean> {
    const result = await this.db
      .insertInto('apps')
      .values({
        app_id: seed.appId,
        name: seed.name,
        app_secret: seed.appSecret,
        master_secret: seed.masterSecret,
        test_secret: seed.testSecret,
        webhook_secret: seed.webhookSecret,
        mode: seed.mode,
        webhook_url: seed.webhookUrl,
        live_webhook_url: seed.liveWebhookUrl,
        channels: JSON.stringify(seed.channels),
        channel_settings: storedSettings(seed.channelSettings ?? {}, this.sealer),
        button_sign: seed.buttonSign ?? 'legacy_allowed',
        request_sign: seed.requestSign ?? 'legacy_allowed',
        allowed_origins: JSON.stringify(seed.allowedOrigins ?? []),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('app_id').doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async updateApp(appId: string, changes: Partial<Omit<SeedApp, 'appId'>>, now = Date.now()): Promise<App> {
    const values: Partial<Updateable<AppTable>> = { updated_at: now };
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.appSecret !== undefined) values.app_secret = changes.appSecret;
    if (changes.masterSecret !== undefined) values.master_secret = changes.masterSecret;
    if (changes.testSecret !== undefined) values.test_secret = changes.testSecret;
    if (changes.webhookSecret !== undefined) values.webhook_secret = changes.webhookSecret;
    if (changes.mode !== undefined) values.mode = changes.mode;
    if (changes.webhookUrl !== undefined) values.webhook_url = changes.webhookUrl;
    if (changes.liveWebhookUrl !== undefined) values.live_webhook_url = changes.liveWebhookUrl;
    if (changes.channels !== undefined) values.channels = JSON.stringify(changes.channels);
    if (changes.channelSettings !== undefined)
      values.channel_settings = storedSettings(changes.channelSettings, this.sealer);
    if (changes.buttonSign !== undefined) values.button_sign = changes.buttonSign;
    if (changes.requestSign !== undefined) values.request_sign = changes.requestSign;
    if (changes.allowedOrigins !== undefined) values.allowed_origins = JSON.stringify(changes.allowedOrigins);
    await this.db.updateTable('apps').set(values).where('app_id', '=', appId).execute();
    const app = await this.findApp(appId);
    if (!app) throw new Error(`no app ${appId}`);
    return app;
  }

  /**
   * Replaces one secret. With `graceUntil` (app, master and test secrets) the old value stays accepted until then;
   * an older previous value of the same kind is dropped (only the newest is kept). Run it in the transaction that
   * read the app.
   */
  async rotateSecret(
    app: App,
    kind: SecretKind,
    newValue: string,
    options: { now: number; graceUntil?: number },
  ): Promise<App> {
    const oldValue = {
      app: app.appSecret,
      master: app.masterSecret,
      test: app.testSecret,
      webhook: app.webhookSecret,
    }[kind];
    const kept = (app.previousSecrets ?? []).filter(
      (secret) => secret.kind !== kind && secret.validUntil > options.now,
    );
    if (kind !== 'webhook' && options.graceUntil !== undefined) {
      kept.push({ kind, value: oldValue, validUntil: options.graceUntil });
    }
    const rotatedAt = { ...(app.secretsRotatedAt ?? {}), [kind]: options.now };
    await this.db
      .updateTable('apps')
      .set({
        [secretColumns[kind]]: newValue,
        retired_secrets: JSON.stringify(kept),
        secrets_rotated_at: JSON.stringify(rotatedAt),
        updated_at: options.now,
      })
      .where('app_id', '=', app.appId)
      .execute();
    const updated = await this.findApp(app.appId);
    if (!updated) throw new Error(`no app ${app.appId}`);
    return updated;
  }
}
