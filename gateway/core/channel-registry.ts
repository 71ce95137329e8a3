/**
 * The channel registry: which adapter serves a bill, chosen by (app, mode, channel). Test mode is always the
 * sandbox. Live mode is the registered `ChannelFamily` of the channel's family, built with the app's settings
 * for that family (`app.channelSettings.ALI | WX | UN`, as stored by the apps CLI / console) and cached per app
 * and settings version, so changed settings take effect at the next call without a restart.
 */
import type { App, AppMode } from '../apps/app.ts';
import type { ChannelAdapter, ChannelFamily, ChannelFamilyName, OutboundHttp } from '../channels/channel.ts';
import { channelInfo, isChannelName, type ButtonChannel } from '../channels/channels.ts';
import type { SandboxChannel } from '../channels/sandbox-adapter.ts';
import { DomainError } from './domain-error.ts';
import type { ChannelCall, GatewayObserver } from './observer.ts';

export interface ChannelRegistryOptions {
  sandbox: SandboxChannel;
  /** The gateway's outbound HTTP for live adapters. */
  http: OutboundHttp;
  families?: readonly ChannelFamily[];
  now?: () => number;
  /** Told the duration and result of every call to a channel (metrics). */
  observer?: GatewayObserver;
}

const observedCalls: ReadonlySet<string> = new Set<ChannelCall>([
  'createPayment',
  'queryPayment',
  'closePayment',
  'refund',
  'queryRefund',
]);

/**
 * The adapter with its channel calls timed for the observer. A Proxy, so the adapter stays itself for everything
 * else (its class for `instanceof`, its other methods run on the adapter).
 */
function observedAdapter<A extends ChannelAdapter>(adapter: A, observer: GatewayObserver | undefined): A {
  if (observer === undefined) return adapter;
  return new Proxy(adapter, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      const method = value as (...args: unknown[]) => unknown;
      if (typeof property !== 'string' || !observedCalls.has(property)) return method.bind(target);
      return async (...args: unknown[]) => {
        const started = process.hrtime.bigint();
        const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
        try {
          const answer = await method.apply(target, args);
          observer.channelCall(target.family, property as ChannelCall, seconds(), false);
          return answer;
        } catch (error) {
          observer.channelCall(target.family, property as ChannelCall, seconds(), true);
          throw error;
        }
      };
    },
  });
}

interface CachedAdapter {
  version: string;
  adapter: ChannelAdapter;
}

export class ChannelRegistry {
  readonly sandbox: SandboxChannel;
  private readonly observedSandbox: ChannelAdapter;
  private readonly families = new Map<ChannelFamilyName, ChannelFamily>();
  private readonly cache = new Map<string, CachedAdapter>();

  constructor(private readonly options: ChannelRegistryOptions) {
    this.sandbox = options.sandbox;
    this.observedSandbox = observedAdapter<ChannelAdapter>(options.sandbox, options.observer);
    for (const family of options.families ?? []) this.register(family);
  }

  /** Makes a channel family available to live apps (one per family name; a second replaces the first). */
  register(family: ChannelFamily): void {
    this.families.set(family.family, family as ChannelFamily);
    for (const key of [...this.cache.keys()]) if (key.endsWith(`:${family.family}`)) this.cache.delete(key);
  }

  family(name: ChannelFamilyName): ChannelFamily | undefined {
    return this.families.get(name);
  }

  /** The family of a notify URL segment (`ali`, `wx`, `un`), if registered. */
  familyForRoute(segment: string): ChannelFamily | undefined {
    const name = segment.toUpperCase();
    return name === 'ALI' || name === 'WX' || name === 'UN' ? this.families.get(name) : undefined;
  }

  /** The adapter for a bill on `channel` of `app` in `mode`; refuses an unknown or unconfigured channel. */
  adapterFor(app: App, mode: AppMode, channel: string): ChannelAdapter {
    if (!isChannelName(channel)) {
      throw new DomainError('channel_unknown', 'channel', `${channel.slice(0, 32)} is not a channel`);
    }
    if (mode === 'test') return this.observedSandbox;
    const adapter = this.liveAdapter(app, channelInfo(channel).family);
    if (adapter === undefined) {
      throw new DomainError(
        'channel_not_configured',
        'channel',
        `${channel} has no ${mode} credentials on this gateway`,
      );
    }
    return adapter;
  }

  /** The app's live adapter for a family; undefined without a registered family or the app's settings for it. */
  liveAdapter(app: App, familyName: ChannelFamilyName): ChannelAdapter | undefined {
    const family = this.families.get(familyName);
    const settings = app.channelSettings[familyName];
    if (family === undefined || settings === undefined || Object.keys(settings).length === 0)
      return undefined;
    const key = `${app.appId}:${familyName}`;
    const version = JSON.stringify(settings);
    const cached = this.cache.get(key);
    if (cached !== undefined && cached.version === version) return cached.adapter;
    const adapter = observedAdapter(
      family.createAdapter(settings, { http: this.options.http, now: this.options.now }),
      this.options.observer,
    );
    this.cache.set(key, { version, adapter });
    return adapter;
  }

  /** Whether `channel` is served for `app` in `mode` (for menus: a live channel without settings is not). */
  serves(app: App, mode: AppMode, channel: ButtonChannel): boolean {
    return mode === 'test' || this.liveAdapter(app, channelInfo(channel).family) !== undefined;
  }
}
