/** The BC object merchant pages call: BC.click(data, events) as in BeeCloud, plus BC.ready(). */
import { menuChannels, type ChannelCode } from './channels.ts';
import { detectEnvironment } from './environment.ts';
import { emitLifecycle, reportDataError } from './events.ts';
import { messagesFor, resolveLocale } from './i18n.ts';
import { loadChunk } from './qr-loader.ts';
import type { BCConfig, ClickEvents, DataError, Order } from './types.ts';
import { mountCheckout, type MountedCheckout } from './ui/mount.ts';
import type { Platform } from './ui/platform.ts';
import { checkInstantChannel, validateClickData } from './validate.ts';

export interface BC {
  click(data: unknown, events?: ClickEvents): void;
  ready(): Promise<BC>;
  /** Closes the dialog if one is open. */
  close(): void;
  readonly version: string;
}

export const VERSION = '0.1.0';

export function defaultPlatform(config: BCConfig, win: Window): Platform {
  const load = () => loadChunk(config.urls[0] ?? '', win.document);
  return {
    navigate: (url) => win.location.assign(url),
    // The hidden form's code ships in the lazy chunk: it is needed only once the payer has picked a channel.
    submitForm: (url, method, param) =>
      load().then((chunk) => void chunk.submit(url, method, param, win.document)),
    alert: (text) => win.alert(text),
    loadChunk: load,
    win,
  };
}

function configProblem(config: BCConfig | undefined): DataError | undefined {
  if (!config?.appId || typeof config.urls?.[0] !== 'string') {
    return {
      code: 'APP_INVALID',
      field: 'appId',
      message: 'appId: the script was loaded without its BCConfig prelude',
    };
  }
}

export function createBC(
  config: BCConfig | undefined,
  win: Window = window,
  overrides: Partial<Platform> = {},
): BC {
  let open: MountedCheckout | undefined;
  let openOrder: Order | undefined;
  let openCallbacks: ClickEvents = {};

  const close = () => {
    const current = open;
    if (!current) return;
    open = undefined;
    current.unmount();
    if (openOrder)
      emitLifecycle('close', { out_trade_no: openOrder.outTradeNo }, openCallbacks, win.document);
  };

  const bc: BC = {
    version: VERSION,
    ready: () => Promise.resolve(bc),
    close,
    click(data: unknown, events?: ClickEvents) {
      const callbacks: ClickEvents = events && typeof events === 'object' ? events : {};
      const debug =
        typeof data === 'object' && data !== null && (data as Record<string, unknown>).debug === true;
      const platform: Platform = {
        ...defaultPlatform(config ?? { appId: '', channels: [], urls: [] }, win),
        ...overrides,
      };
      if (debug) platform.alert(`appId: ${config?.appId ?? ''}`);

      const setupError = configProblem(config);
      if (setupError || !config) return reportDataError(setupError!, callbacks, debug, platform.alert);

      const checked = validateClickData(data);
      const environment = detectEnvironment(win.navigator.userAgent);
      const channels = menuChannels(config.channels ?? [], environment);
      let error: DataError | undefined = checked.ok ? undefined : checked.error;
      let instantChannel: ChannelCode | undefined;
      if (checked.ok && checked.value.instantChannel !== undefined) {
        const instant = checkInstantChannel(checked.value.instantChannel, channels, config.channels ?? []);
        if (instant.ok) instantChannel = instant.value;
        else error = instant.error;
      }
      if (!error && channels.length === 0) {
        error = {
          code: 'CHANNEL_INVALID',
          field: 'channels',
          message: 'channels: this app has no payment channel usable in this browser',
        };
      }

      const locale = resolveLocale(
        checked.ok ? checked.value.locale : undefined,
        win.document.documentElement.lang,
        win.navigator.languages,
      );
      if (error) {
        reportDataError(error, callbacks, debug, platform.alert);
        // The merchant handles its own errors; without a dataError callback the payer is told why nothing happens.
        if (typeof callbacks.dataError === 'function') return;
      }

      close();
      const order: Order = checked.ok
        ? checked.value
        : { outTradeNo: '', title: '', amount: 0, sign: '', debug, needAliGuide: true, useApp: true };
      openOrder = order;
      openCallbacks = callbacks;
      open = mountCheckout(
        {
          order,
          environment,
          channels,
          messages: messagesFor(locale),
          locale,
          gateway: (chunk) => chunk.gateway(config.urls[0], config.appId),
          platform,
          callbacks,
          instantChannel,
          initialError: error,
        },
        close,
        win.document,
      );
      emitLifecycle(
        'open',
        { out_trade_no: order.outTradeNo, channel: instantChannel },
        callbacks,
        win.document,
      );
    },
  };
  return bc;
}
