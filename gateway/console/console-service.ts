/**
 * The console's use cases (docs/console-api.md): apps and their secrets, the 秒支付 button's menu, channel
 * credentials, refunds and pre-refund decisions through the core's Refunds, webhook resends. Every change runs in
 * one transaction with its audit entry; what the core does in its own transactions gets the entry through the
 * core's `within` hook. Reads go through the stores; nothing here writes SQL.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { normaliseOrigin } from '../apps/allowed-origins.ts';
import type { App, AppMode, SecretKind, SeedApp } from '../apps/app.ts';
import {
  outTradeNoFor,
  ChannelCallError,
  ChannelSettingsError,
  type ChannelAttempt,
} from '../channels/channel.ts';
import type { ButtonChannel, ChannelFamily } from '../channels/channels.ts';
import type { ApprovalOutcome } from '../core/refunds.ts';
import { DomainError } from '../core/domain-error.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { targetRefusal } from '../net/target-policy.ts';
import { checkRefundNo } from '../refunds/refund-no.ts';
import type { Refund } from '../refunds/refund.ts';
import type { Stores } from '../storage/store.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { ConsoleError, consoleErrorFor, invalid } from './console-errors.ts';
import { credentialOf } from './console-views.ts';
import { mergeCredentials } from './credential-merge.ts';

/** How long a rotated-out app, master or test secret is still accepted. */
export const SECRET_GRACE_MS = 24 * 3_600_000;

/** The button's menu codes, as the widget knows them (widget/channels.ts), with the family each belongs to. */
export const MENU_CODES = [
  { code: 'ali', label: '支付宝', family: 'ALI' },
  { code: 'aliqr', label: '支付宝扫码', family: 'ALI' },
  { code: 'wxmp', label: '微信支付', family: 'WX' },
  { code: 'wx', label: '微信支付 (公众号)', family: 'WX' },
  { code: 'wxwap', label: '微信支付 (H5)', family: 'WX' },
  { code: 'un', label: '银联支付', family: 'UN' },
  { code: 'unwap', label: '银联支付 (手机)', family: 'UN' },
] as const;

export const SECRET_KINDS: Record<string, SecretKind> = {
  'app-secret': 'app',
  'master-secret': 'master',
  'test-secret': 'test',
  'webhook-secret': 'webhook',
};

/** A channel each family serves, for "test connection" queries. */
const probeChannel: Record<ChannelFamily, ButtonChannel> = {
  ALI: 'ALI_WEB',
  WX: 'WX_NATIVE',
  UN: 'UN_WEB',
  PAYPAL: 'PAYPAL_PAYPAL',
};

export interface AppInput {
  name?: string;
  mode?: AppMode;
  webhookUrl?: string;
  liveWebhookUrl?: string;
  allowedOrigins?: string[];
}

export interface ConsoleRefundInput {
  refundFee: number;
  refundNo?: string;
  needApproval: boolean;
  reason?: string;
}

export interface Decision {
  ok: boolean;
  code?: 'not_found' | 'not_pending' | 'refused';
  message?: string;
}

export interface ConnectionReport {
  reachable: boolean;
  authOk: boolean;
  message: string;
}

function newSecret(): string {
  return randomBytes(24).toString('base64url');
}

function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

/** yyyyMMdd in China time (BeeCloud's refund dates). */
function chinaDate(now: number): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
}

export class ConsoleService {
  constructor(
    private readonly ctx: GatewayContext,
    readonly now: () => number,
  ) {}

  private get store() {
    return this.ctx.store;
  }

  async requireApp(appId: string, stores: Pick<Stores, 'apps'> = this.store): Promise<App> {
    const app = appId.length <= 128 ? await stores.apps.findApp(appId) : undefined;
    if (!app) throw new ConsoleError('not_found', `no app ${appId.slice(0, 64)}`, 'appId');
    return app;
  }

  listApps(): Promise<App[]> {
    return this.store.apps.listApps();
  }

  private checkWebhookUrl(field: string, url: string): void {
    if (url === '') return;
    if (url.length > 1024) throw invalid(field, 'must be at most 1024 characters');
    const refusal = targetRefusal(url, this.ctx.outbound.allowPrivateTargets);
    if (refusal) throw invalid(field, refusal);
  }

  private checkOrigins(origins: string[]): string[] {
    return origins.map((origin, index) => {
      const normalised = normaliseOrigin(origin);
      if ('error' in normalised) throw invalid(`allowedOrigins.${index}`, normalised.error);
      return normalised.origin;
    });
  }

  /** Creates an app; the answer is the only time its secrets are shown. */
  async createApp(
    operator: string,
    input: AppInput & { name: string },
  ): Promise<{ app: App; secrets: Record<string, string> }> {
    const webhookUrl = input.webhookUrl ?? '';
    const liveWebhookUrl = input.liveWebhookUrl ?? '';
    this.checkWebhookUrl('webhookUrl', webhookUrl);
    this.checkWebhookUrl('liveWebhookUrl', liveWebhookUrl);
    const mode = input.mode ?? 'test';
    if (mode === 'live' && liveWebhookUrl === '') {
      throw invalid('mode', 'live mode needs a liveWebhookUrl first');
    }
    const seed: SeedApp = {
      appId: randomUUID(),
      name: input.name,
      mode,
      appSecret: newSecret(),
      masterSecret: newSecret(),
      testSecret: newSecret(),
      webhookSecret: newWebhookSecret(),
      channels: ['ali', 'wxmp', 'wx', 'un'],
      webhookUrl,
      liveWebhookUrl,
      allowedOrigins: this.checkOrigins(input.allowedOrigins ?? []),
    };
    const now = this.now();
    const app = await this.store.transaction(async (tx) => {
      await tx.apps.seedApp(seed, now);
      await tx.console.audit({
        at: now,
        operator,
        appId: seed.appId,
        action: 'app.create',
        detail: { name: seed.name, mode: seed.mode },
      });
      return this.requireApp(seed.appId, tx);
    });
    return {
      app,
      secrets: {
        appSecret: seed.appSecret,
        masterSecret: seed.masterSecret,
        testSecret: seed.testSecret,
        webhookSecret: seed.webhookSecret,
      },
    };
  }

  async updateApp(operator: string, appId: string, input: AppInput): Promise<App> {
    if (input.webhookUrl !== undefined) this.checkWebhookUrl('webhookUrl', input.webhookUrl);
    if (input.liveWebhookUrl !== undefined) this.checkWebhookUrl('liveWebhookUrl', input.liveWebhookUrl);
    const origins = input.allowedOrigins === undefined ? undefined : this.checkOrigins(input.allowedOrigins);
    const now = this.now();
    return this.store.transaction(async (tx) => {
      const app = await this.requireApp(appId, tx);
      const mode = input.mode ?? app.mode;
      const liveWebhookUrl = input.liveWebhookUrl ?? app.liveWebhookUrl;
      if (mode === 'live' && liveWebhookUrl === '') {
        throw invalid(input.mode === 'live' ? 'mode' : 'liveWebhookUrl', 'live mode needs a liveWebhookUrl');
      }
      const changes: Record<string, unknown> = {};
      if (input.name !== undefined && input.name !== app.name)
        changes.name = { from: app.name, to: input.name };
      if (input.mode !== undefined && input.mode !== app.mode)
        changes.mode = { from: app.mode, to: input.mode };
      if (input.webhookUrl !== undefined && input.webhookUrl !== app.webhookUrl)
        changes.webhookUrl = { from: app.webhookUrl, to: input.webhookUrl };
      if (input.liveWebhookUrl !== undefined && input.liveWebhookUrl !== app.liveWebhookUrl)
        changes.liveWebhookUrl = { from: app.liveWebhookUrl, to: input.liveWebhookUrl };
      if (origins !== undefined && JSON.stringify(origins) !== JSON.stringify(app.allowedOrigins))
        changes.allowedOrigins = { from: app.allowedOrigins, to: origins };
      if (Object.keys(changes).length === 0) return app;
      const updated = await tx.apps.updateApp(
        appId,
        {
          name: input.name,
          mode: input.mode,
          webhookUrl: input.webhookUrl,
          liveWebhookUrl: input.liveWebhookUrl,
          allowedOrigins: origins,
        },
        now,
      );
      await tx.console.audit({ at: now, operator, appId, action: 'app.update', detail: changes });
      return updated;
    });
  }

  /** A new value for one secret; app, master and test secrets keep their old value valid for SECRET_GRACE_MS. */
  async rotateSecret(
    operator: string,
    appId: string,
    kind: SecretKind,
    confirm: string | undefined,
  ): Promise<{ app: App; secret: string; previousValidUntil: number | null }> {
    if (confirm !== appId) {
      throw new ConsoleError(
        'confirmation_required',
        'repeat the app id in "confirm" to rotate a secret',
        'confirm',
      );
    }
    const now = this.now();
    const secret = kind === 'webhook' ? newWebhookSecret() : newSecret();
    const previousValidUntil = kind === 'webhook' ? null : now + SECRET_GRACE_MS;
    const app = await this.store.transaction(async (tx) => {
      const app = await this.requireApp(appId, tx);
      const rotated = await tx.apps.rotateSecret(app, kind, secret, {
        now,
        graceUntil: previousValidUntil ?? undefined,
      });
      await tx.console.audit({
        at: now,
        operator,
        appId,
        action: 'app.secret.rotate',
        detail: { secret: kind, previousValidUntil },
      });
      return rotated;
    });
    return { app, secret, previousValidUntil };
  }

  async saveButton(operator: string, appId: string, channels: string[]): Promise<App> {
    const known = MENU_CODES.map((entry) => entry.code as string);
    channels.forEach((code, index) => {
      if (!known.includes(code)) throw invalid(`channels.${index}`, `must be one of ${known.join(', ')}`);
      if (channels.indexOf(code) !== index) throw invalid(`channels.${index}`, `${code} is listed twice`);
    });
    const now = this.now();
    return this.store.transaction(async (tx) => {
      const app = await this.requireApp(appId, tx);
      if (JSON.stringify(app.channels) === JSON.stringify(channels)) return app;
      const updated = await tx.apps.updateApp(appId, { channels }, now);
      await tx.console.audit({
        at: now,
        operator,
        appId,
        action: 'button.update',
        detail: { from: app.channels, to: channels },
      });
      return updated;
    });
  }

  private family(name: ChannelFamily) {
    const family = this.ctx.core.registry.family(name);
    if (!family)
      throw new ConsoleError('not_found', `no ${name} channel family is installed on this gateway`, 'family');
    return family;
  }

  /**
   * Saves what the operator entered over the stored settings (credential-merge.ts: a field left out keeps its
   * stored value, `null` removes it), checked as a whole by the family's own parser and stored as it returns
   * them (sealed at rest) — or nothing is stored.
   */
  async saveCredentials(operator: string, appId: string, familyName: ChannelFamily, input: unknown) {
    const family = this.family(familyName);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw invalid('settings', 'must be a JSON object of the channel settings');
    }
    const entered = input as Record<string, unknown>;
    const now = this.now();
    return this.store.transaction(async (tx) => {
      const app = await this.requireApp(appId, tx);
      const merged = mergeCredentials(familyName, app.channelSettings[familyName], entered);
      let parsed: unknown;
      try {
        parsed = family.parseSettings(merged);
      } catch (error) {
        if (error instanceof ChannelSettingsError) {
          const field = error.field === 'settings' ? 'settings' : `settings.${error.field}`;
          throw invalid(field, error.message.slice(error.field.length + 2) || error.message);
        }
        throw invalid('settings', 'could not be read as settings of this channel');
      }
      const stored = JSON.parse(JSON.stringify(parsed)) as Record<string, unknown>;
      const updated = await tx.apps.updateApp(
        appId,
        { channelSettings: { ...app.channelSettings, [familyName]: stored } },
        now,
      );
      const credential = credentialOf(updated, familyName);
      await tx.console.audit({
        at: now,
        operator,
        appId,
        action: 'credentials.save',
        detail: {
          family: familyName,
          fieldsEntered: Object.keys(entered)
            .filter((name) => entered[name] !== null)
            .sort(),
          fieldsRemoved: Object.keys(entered)
            .filter((name) => entered[name] === null)
            .sort(),
          fieldsSet: credential.fieldsSet,
        },
      });
      return { ...credential, updatedAt: now };
    });
  }

  async deleteCredentials(operator: string, appId: string, familyName: ChannelFamily): Promise<void> {
    const now = this.now();
    await this.store.transaction(async (tx) => {
      const app = await this.requireApp(appId, tx);
      if (app.channelSettings[familyName] === undefined) return;
      const { [familyName]: removed, ...rest } = app.channelSettings;
      await tx.apps.updateApp(appId, { channelSettings: rest }, now);
      await tx.console.audit({
        at: now,
        operator,
        appId,
        action: 'credentials.delete',
        detail: { family: familyName, fieldsSet: Object.keys(removed ?? {}).sort() },
      });
    });
  }

  /** Asks the channel about a trade that does not exist: reachable and accepting the credentials, or not. */
  async testConnection(appId: string, familyName: ChannelFamily): Promise<ConnectionReport> {
    const app = await this.requireApp(appId);
    this.family(familyName);
    const adapter = this.ctx.core.registry.liveAdapter(app, familyName);
    if (!adapter)
      throw new ConsoleError('conflict', `no ${familyName} credentials are saved for this app`, 'family');
    const billId = randomUUID();
    const now = this.now();
    const attempt: ChannelAttempt = {
      billId,
      outTradeNo: outTradeNoFor(billId),
      billNo: 'SPAYCONSOLETEST',
      channel: probeChannel[familyName],
      title: 'spay console connection test',
      totalFee: 1,
      createTime: now,
      expiresAt: null,
      openid: null,
      payerIp: null,
    };
    try {
      const result = await adapter.queryPayment(attempt);
      return {
        reachable: true,
        authOk: true,
        message: `the channel answered a signed query (trade ${result.status === 'not_found' ? 'not found, as expected' : result.status})`,
      };
    } catch (error) {
      if (error instanceof ChannelCallError) {
        if (error.code === 'NETWORK' || error.code === 'TIMEOUT') {
          return {
            reachable: false,
            authOk: false,
            message: `the channel could not be reached (${error.code})`,
          };
        }
        // Only "no such trade" means the channel accepted the credentials: an unknown merchant (WeChat Pay's
        // MCH_NOT_EXISTS) or an unknown path (NOT_FOUND) is a refusal.
        if (/(^|\.)(TRADE|ORDER)_?NOT_?EXISTS?$/i.test(error.code)) {
          return { reachable: true, authOk: true, message: `the channel answered: ${error.code}` };
        }
        return {
          reachable: true,
          authOk: false,
          message: `the channel refused the query (${error.code}): ${error.message.slice(0, 200)}`,
        };
      }
      return { reachable: false, authOk: false, message: 'the channel could not be reached' };
    }
  }

  /** A refund or pre-refund of a paid bill, through the core's Refunds use case. */
  async refund(operator: string, appId: string, billId: string, input: ConsoleRefundInput): Promise<Refund> {
    const app = await this.requireApp(appId);
    const bill = billId.length <= 64 ? await this.store.bills.findBill(billId) : undefined;
    if (!bill || bill.appId !== appId)
      throw new ConsoleError('not_found', `no bill ${billId.slice(0, 64)}`, 'billId');
    if (bill.status !== 'paid')
      throw new ConsoleError('conflict', `bill ${bill.billNo} is not paid`, 'billId');
    let refundNo = input.refundNo;
    if (refundNo !== undefined) {
      try {
        checkRefundNo(refundNo);
      } catch (error) {
        if (error instanceof BeeCloudError)
          throw invalid('refundNo', error.detail.replace(/^refund_no /, ''));
        throw error;
      }
    } else {
      refundNo = `${chinaDate(this.now())}${randomBytes(8).toString('hex').toUpperCase()}`;
    }
    const now = this.now();
    try {
      return await this.ctx.core.refunds.createRefund(
        { ...app, mode: bill.mode },
        {
          refundNo,
          billNo: bill.billNo,
          refundFee: input.refundFee,
          needApproval: input.needApproval,
          optional: input.reason ? { reason: input.reason } : undefined,
        },
        (tx, refund) =>
          tx.console.audit({
            at: now,
            operator,
            appId,
            action: 'refund.create',
            detail: {
              billId: bill.id,
              billNo: bill.billNo,
              refundId: refund.id,
              refundNo: refund.refundNo,
              refundFee: refund.refundFee,
              needApproval: refund.needApproval,
            },
          }),
      );
    } catch (error) {
      if (error instanceof DomainError) throw consoleErrorFor(error);
      throw error;
    }
  }

  /** Approves or denies pre-refunds, one answer per id. */
  async decide(
    operator: string,
    appId: string,
    ids: string[],
    agree: boolean,
    denyReason: string | undefined,
  ): Promise<Record<string, Decision>> {
    const app = await this.requireApp(appId);
    const results: Record<string, Decision> = {};
    const now = this.now();
    for (const mode of ['test', 'live'] as const) {
      const own: string[] = [];
      for (const id of ids) {
        if (results[id]) continue;
        const refund = await this.store.refunds.find({ appId, mode }, id);
        if (refund) own.push(id);
      }
      if (own.length === 0) continue;
      const outcomes = await this.ctx.core.refunds.decidePreRefunds(
        { ...app, mode },
        { channel: undefined, ids: own, agree, denyReason },
        (tx, refund) =>
          tx.console.audit({
            at: now,
            operator,
            appId,
            action: 'refund.decide',
            detail: { refundId: refund.id, refundNo: refund.refundNo, agree, denyReason: denyReason ?? null },
          }),
      );
      for (const [id, outcome] of Object.entries(outcomes)) results[id] = decisionOf(outcome);
    }
    for (const id of ids) {
      results[id] ??= { ok: false, code: 'not_found', message: 'no refund of this app with this id' };
    }
    return results;
  }

  /** Sends deliveries again now (same body), to the app's current URL when they have none. */
  async resend(operator: string, appId: string, ids: string[]): Promise<Record<string, Decision>> {
    await this.requireApp(appId);
    const now = this.now();
    const results: Record<string, Decision> = {};
    await this.store.transaction(async (tx) => {
      const app = await this.requireApp(appId, tx);
      const sent: string[] = [];
      for (const id of ids) {
        const row = (await tx.outbox.all({ appId, webhookId: id }))[0];
        if (!row) {
          results[id] = { ok: false, code: 'not_found', message: 'no delivery of this app with this id' };
          continue;
        }
        let targetUrl = row.target_url;
        if (!targetUrl) {
          const bill = row.bill_id ? await tx.bills.findBill(row.bill_id) : undefined;
          targetUrl = (bill?.mode ?? app.mode) === 'test' ? app.webhookUrl : app.liveWebhookUrl;
        }
        await tx.outbox.reschedule(row.id, targetUrl, now);
        results[id] = { ok: true };
        sent.push(id);
      }
      if (sent.length > 0) {
        await tx.console.audit({ at: now, operator, appId, action: 'webhook.resend', detail: { ids: sent } });
      }
    });
    this.ctx.webhooks.wake();
    return results;
  }
}

function decisionOf(outcome: ApprovalOutcome): Decision {
  if (outcome.ok) return { ok: true };
  switch (outcome.refusal) {
    case 'no_such_refund':
      return { ok: false, code: 'not_found', message: 'no refund of this app with this id' };
    case 'not_pending':
      return { ok: false, code: 'not_pending', message: 'the refund is not waiting for approval' };
    case 'refused':
      return { ok: false, code: 'refused', message: outcome.error.message };
  }
}
