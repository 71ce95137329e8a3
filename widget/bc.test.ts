/**
 * BC.click in jsdom against a real gateway (127.0.0.1, a free port, stopped after the tests): validation before
 * any request, the dialog in its Shadow DOM root, lifecycle events, and the answers of the real bill endpoint.
 * Leaving the page (form submit, navigation) is recorded instead of performed: jsdom cannot navigate.
 */
import '@testing-library/jest-dom/vitest';
import { fireEvent, waitFor, within } from '@testing-library/preact';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startGateway } from '../gateway/server.ts';
import { buttonOrderSign } from '../sdk/sign.ts';
import { createBC, type BC } from './bc.ts';
import { qrChunk } from './qr/lazy.ts';
import type { BCConfig, ClickEvents, DataError } from './types.ts';
import { HOST_TAG } from './ui/mount.ts';
import type { Platform } from './ui/platform.ts';

interface DemoApp {
  appId: string;
  appSecret: string;
  channels: string[];
}

let gateway: { url: string; close(): Promise<void> };
let dataDir: string;
let app: DemoApp;

beforeAll(async () => {
  document.documentElement.lang = 'zh-CN'; // a Chinese shop, like BeeCloud's merchants
  app = JSON.parse(await readFile(join(process.cwd(), 'config/demo-app.json'), 'utf8')) as DemoApp;
  dataDir = await mkdtemp(join(tmpdir(), 'spay-widget-'));
  gateway = await startGateway({
    host: '127.0.0.1',
    port: 0,
    dataDir,
    seedApps: [app as never],
    logger: false,
    // The test's webhook receiver (or the demo app's URL) is on 127.0.0.1.
    allowPrivateTargets: true,
  });
});

afterAll(async () => {
  await gateway?.close();
  await rm(dataDir, { recursive: true, force: true });
});

afterEach(() => {
  document.querySelectorAll(HOST_TAG).forEach((host) => host.remove());
  vi.restoreAllMocks();
});

let orderCounter = 0;
function order(overrides: Record<string, unknown> = {}) {
  const outTradeNo = `widget${Date.now()}${orderCounter++}`;
  const title = (overrides.title as string | undefined) ?? '测试商品';
  const amount = (overrides.amount as number | undefined) ?? 1;
  return {
    out_trade_no: outTradeNo,
    title,
    amount,
    sign: buttonOrderSign(app.appId, title, amount, outTradeNo, app.appSecret),
    ...overrides,
  };
}

interface Departures {
  forms: { url: string; method: string; param: Record<string, unknown> }[];
  navigations: string[];
  alerts: string[];
}

function makeBC(channels = app.channels, extra: Partial<Platform> = {}): { bc: BC; left: Departures } {
  const left: Departures = { forms: [], navigations: [], alerts: [] };
  const config: BCConfig = { appId: app.appId, channels, urls: [gateway.url], mode: 'test' };
  const platform: Partial<Platform> = {
    submitForm: (url, method, param) => void left.forms.push({ url, method, param }),
    navigate: (url) => void left.navigations.push(url),
    alert: (text) => void left.alerts.push(text),
    // jsdom runs no external scripts: the lazy chunk's module, imported.
    loadChunk: async () => qrChunk,
    ...extra,
  };
  return { bc: createBC(config, window, platform), left };
}

function dialog() {
  const host = document.querySelector(HOST_TAG);
  if (!host?.shadowRoot) throw new Error('no dialog');
  return within(host.shadowRoot as unknown as HTMLElement);
}

describe('BC.click', () => {
  it('reports bad data through dataError and sends nothing', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const { bc, left } = makeBC();
    const errors: DataError[] = [];
    bc.click({ ...order(), amount: 0.5, debug: true }, { dataError: (error) => errors.push(error) });
    expect(errors).toEqual([
      { code: 'PARAM_INVALID', field: 'amount', message: 'amount: must be an integer number of fen > 0' },
    ]);
    expect(left.alerts).toEqual([`appId: ${app.appId}`, JSON.stringify(errors[0])]);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(document.querySelector(HOST_TAG)).toBeNull();
  });

  it('reports a missing out_trade_no through dataError and sends nothing', () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    const { bc } = makeBC();
    const errors: DataError[] = [];
    const { out_trade_no: _missing, ...withoutOrderNo } = order();
    bc.click(withoutOrderNo, { dataError: (error) => errors.push(error) });
    expect(errors).toEqual([
      { code: 'MISS_PARAM', field: 'out_trade_no', message: 'out_trade_no: is required' },
    ]);
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(document.querySelector(HOST_TAG)).toBeNull();
  });

  it('tells the payer when the page has no dataError callback, and the console the detail', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { bc } = makeBC();
    bc.click({ ...order(), out_trade_no: 'short' });
    await waitFor(() => expect(dialog().getByRole('alert')).toHaveTextContent('请联系商户'));
    expect(dialog().getByRole('alert')).not.toHaveTextContent('out_trade_no');
    expect(warn).toHaveBeenCalledWith('spay: PARAM_INVALID out_trade_no: must be 8 to 32 letters or digits');
  });

  it('reports an unknown instant_channel with the original text', () => {
    const { bc } = makeBC();
    const errors: DataError[] = [];
    bc.click(order({ instant_channel: 'paypal' }), { dataError: (error) => errors.push(error) });
    expect(errors[0]).toEqual({
      code: 'CHANNEL_INVALID',
      field: 'instant_channel',
      message: 'instant_channel: 不存在渠道[paypal]',
    });
  });

  it('shows the menu in a Shadow DOM dialog, then submits the cashier form for Alipay', async () => {
    const { bc, left } = makeBC();
    const events: string[] = [];
    const listener = (event: Event) => events.push(event.type);
    for (const name of ['open', 'channel', 'close']) document.addEventListener(`beecloud:${name}`, listener);
    const callbacks: ClickEvents = { channel: (detail) => events.push(`callback:${detail.rest_channel}`) };
    bc.click(order({ return_url: 'https://shop.example/done' }), callbacks);

    const menu = dialog();
    expect(menu.getByRole('dialog', { name: '支付' })).toBeInTheDocument();
    expect(menu.getAllByRole('radio').map((radio) => radio.getAttribute('value'))).toEqual([
      'ali',
      'wxmp',
      'un',
    ]);
    expect(menu.getByText('合计：¥0.01')).toBeInTheDocument();
    fireEvent.click(menu.getByRole('button', { name: '确认' }));

    await waitFor(() => expect(left.forms).toHaveLength(1));
    expect(left.forms[0].url).toMatch(new RegExp(`^${gateway.url}/sandbox/cashier/`));
    expect(events).toEqual(['beecloud:open', 'beecloud:channel', 'callback:ALI_WEB']);
    bc.close();
    expect(events.at(-1)).toBe('beecloud:close');
    expect(document.querySelector(HOST_TAG)).toBeNull();
  });

  it('shows the QR panel state for WeChat after loading the QR chunk', async () => {
    const { bc } = makeBC();
    const shown: string[] = [];
    bc.click(order({ instant_channel: 'wxmp' }), { qrshown: (detail) => shown.push(detail.code_url!) });
    await waitFor(() => expect(shown).toHaveLength(1));
    expect(shown[0]).toMatch(new RegExp(`^${gateway.url}/sandbox/wx/scan/`));
    // jsdom does not run the chunk's classic script; the panel waits for it with a spinner and the title.
    expect(dialog().getByText('微信扫码付款')).toBeInTheDocument();
  });

  it('QR: follows the real bill by polling (jsdom has no EventSource) until paid, then goes to return_url', async () => {
    const { bc, left } = makeBC(app.channels, {
      openStream: null,
      paidPauseMs: 10,
    });
    const data = order({ instant_channel: 'wxmp', return_url: 'https://shop.example/done', amount: 250 });
    let codeUrl = '';
    bc.click(data, { qrshown: (detail) => void (codeUrl = detail.code_url!) });
    const panel = await waitFor(() => dialog().getByRole('img', { name: '微信付款二维码' }));
    expect(panel.querySelector('path')!.getAttribute('d')).toMatch(/^M\d+ \d+h\d+v1h-\d+z/);
    expect(dialog().getByText('¥2.50')).toBeInTheDocument();
    expect(dialog().getByRole('timer')).toHaveTextContent(/剩余 1[12]\d:\d\d/);

    // The payer approves on the sandbox's phone page (what scanning the code opens).
    const approved = await fetch(`${codeUrl}/pay`, { method: 'POST', redirect: 'manual' });
    expect(approved.status).toBeLessThan(400);
    await waitFor(() => expect(dialog().getByRole('heading', { name: '支付成功' })).toBeInTheDocument(), {
      timeout: 8000,
    });
    await waitFor(() => expect(left.navigations).toHaveLength(1));
    const result = new URL(left.navigations[0]);
    expect(result.origin + result.pathname).toBe('https://shop.example/done');
    expect(result.searchParams.get('bill_no')).toBe(data.out_trade_no);
    expect(result.searchParams.get('total_fee')).toBe('250');
    expect(result.searchParams.get('spay_result')).toBe('true');
    bc.close();
  });

  it("passes the gateway's refusal (a wrong sign) to dataError and shows it", async () => {
    const { bc, left } = makeBC();
    const errors: DataError[] = [];
    const failed: string[] = [];
    document.addEventListener('beecloud:failed', () => failed.push('failed'), { once: true });
    const good = order();
    bc.click(
      { ...good, sign: good.sign.replace(/^./, good.sign[0] === 'a' ? 'b' : 'a'), instant_channel: 'ali' },
      { dataError: (error) => errors.push(error) },
    );
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0].code).toBe('APP_INVALID');
    expect(errors[0].field).toBe('sign');
    expect(errors[0].message).toMatch(/^sign: /);
    await waitFor(() => expect(dialog().getByRole('alert')).toHaveTextContent('请联系商户'));
    expect(dialog().getByRole('alert')).not.toHaveTextContent('APP_INVALID');
    expect(left.forms).toHaveLength(0);
    expect(failed).toEqual(['failed']);
  });

  it('asks for the openid before WeChat JSAPI', async () => {
    vi.spyOn(navigator, 'userAgent', 'get').mockReturnValue('Mozilla/5.0 (iPhone) MicroMessenger/8.0.40');
    const { bc } = makeBC();
    const errors: DataError[] = [];
    bc.click(order({ instant_channel: 'wx' }), { dataError: (error) => errors.push(error) });
    await waitFor(() => expect(errors).toHaveLength(1));
    expect(errors[0]).toEqual({ code: 'MISS_PARAM', field: 'openid', message: 'openid: is required' });
  });

  it('returns the focus to the page when the dialog closes with Esc', () => {
    const button = document.createElement('button');
    document.body.appendChild(button);
    button.focus();
    const { bc } = makeBC();
    bc.click(order());
    fireEvent.keyDown(dialog().getByRole('dialog'), { key: 'Escape' });
    expect(document.querySelector(HOST_TAG)).toBeNull();
    expect(button).toHaveFocus();
    button.remove();
  });

  it("speaks English on a page without a declared language in jsdom's English browser", () => {
    document.documentElement.lang = '';
    try {
      const { bc } = makeBC();
      bc.click(order());
      expect(dialog().getByRole('dialog', { name: 'Pay' })).toBeInTheDocument();
      expect(dialog().getByRole('radio', { name: 'Alipay' })).toBeInTheDocument();
      bc.close();
    } finally {
      document.documentElement.lang = 'zh-CN';
    }
  });

  it('BC.ready() resolves with BC', async () => {
    const { bc } = makeBC();
    await expect(bc.ready()).resolves.toBe(bc);
  });
});
