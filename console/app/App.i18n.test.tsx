/**
 * The console is complete in both languages: every page, rendered over fixed API answers, shows no Chinese in
 * English (save the product name 秒支付) and its labels, channel names, statuses, audit actions and errors in
 * Chinese in zh-CN; the language switch is remembered by the browser.
 */
import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../api/client.ts';
import { consoleApi } from '../api/console-api.ts';
import type { ConsoleApp, ConsoleBill, ConsoleDelivery, ConsoleRefund, DayFigures } from '../api/types.ts';
import { I18nProvider } from '../i18n/i18n.tsx';
import { localeStorageKey, type Locale } from '../i18n/locale.ts';
import { App } from './App.tsx';

afterEach(cleanup);
beforeEach(() => localStorage.clear());

const at = Date.parse('2026-12-02T08:00:00Z');
const masked = { masked: '••••abcd', rotatedAt: null, previousValidUntil: null };
const app: ConsoleApp = {
  appId: 'app-1',
  name: 'Shop',
  mode: 'test',
  webhookUrl: 'https://shop.example/webhook',
  liveWebhookUrl: '',
  allowedOrigins: ['https://shop.example'],
  channels: ['ali', 'wxmp'],
  secrets: { appSecret: masked, masterSecret: masked, testSecret: masked, webhookSecret: masked },
  credentials: {
    ALI: { configured: true, fieldsSet: ['app_id', 'app_private_key', 'seller_id'] },
    WX: { configured: false, fieldsSet: [] },
    UN: { configured: false, fieldsSet: [] },
  },
  createdAt: at,
  updatedAt: at,
};
const bill: ConsoleBill = {
  id: 'bill-1',
  billNo: 'order0001',
  mode: 'test',
  channel: 'ALI',
  subChannel: 'ALI_WEB',
  title: 'Coffee',
  totalFee: 1234,
  status: 'paid',
  tradeNo: '2026120222001',
  createTime: at,
  paidTime: at,
  closedTime: null,
  refundedFee: 100,
};
const refund: ConsoleRefund = {
  id: 'refund-1',
  refundNo: '20261202R1',
  billId: 'bill-1',
  billNo: 'order0001',
  mode: 'test',
  channel: 'ALI',
  subChannel: 'ALI_WEB',
  totalFee: 1234,
  refundFee: 100,
  status: 'pending_approval',
  needApproval: true,
  denyReason: null,
  channelRefundNo: null,
  createTime: at,
  updateTime: at,
  finishTime: null,
};
const delivery: ConsoleDelivery = {
  id: 'wh-1',
  type: 'PAY',
  billId: 'bill-1',
  refundId: null,
  transactionId: 'order0001',
  targetUrl: 'https://shop.example/webhook',
  status: 'failed',
  attemptCount: 1,
  nextAttemptAt: null,
  createdAt: at,
  deliveredAt: null,
  attempts: [{ at, httpStatus: 500, latencyMs: 12, excerpt: 'oops', error: null }],
};
const day = (date: string): DayFigures => ({
  date,
  channels: { ALI_WEB: { count: 1, fee: 1234 } },
  paidCount: 1,
  paidFee: 1234,
  billCount: 2,
  successRate: 0.5,
  refundCount: 1,
  refundFee: 100,
});
const health = {
  url: 'https://shop.example/webhook',
  pending: 0,
  failing: 1,
  delivered24h: 0,
  failed24h: 1,
  lastDeliveredAt: null,
  lastFailedAt: at,
  medianLatencyMs: 12,
};
const auditActions = [
  'app.create',
  'app.update',
  'app.secret.rotate',
  'button.update',
  'credentials.save',
  'credentials.delete',
  'refund.create',
  'refund.decide',
  'webhook.resend',
  'session.signin',
];

const answers: Record<string, unknown> = {
  'GET /session': { operator: { name: 'alice' }, csrfToken: 'tok', idleExpiresAt: 0, expiresAt: 0 },
  'GET /apps': { apps: [app] },
  'GET /apps/app-1/dashboard': {
    mode: 'test',
    today: { ...day('2026-12-02') },
    last30Days: {
      paidCount: 2,
      paidFee: 2468,
      billCount: 4,
      successRate: 0.5,
      refundCount: 2,
      refundFee: 200,
    },
    days: [day('2026-12-01'), day('2026-12-02')],
    webhooks: { pending: 0, failing: 1 },
  },
  'GET /apps/app-1/button': {
    channels: [
      { code: 'ali', label: '支付宝', family: 'ALI', enabled: true },
      { code: 'wxmp', label: '微信支付', family: 'WX', enabled: true },
      { code: 'un', label: '银联支付', family: 'UN', enabled: false },
    ],
    scriptUrl: 'https://pay.example/1/pay/jsbutton/returnscripts?appId=app-1',
    scriptTag:
      "<script id='spay-script' src='https://pay.example/1/pay/jsbutton/returnscripts?appId=app-1'></script>",
  },
  'GET /apps/app-1/credentials': { credentials: app.credentials },
  'GET /apps/app-1/bills': { bills: [bill], nextCursor: null },
  'GET /apps/app-1/bills/bill-1': { bill, attempts: [bill], refunds: [refund], webhooks: [delivery] },
  'GET /apps/app-1/refunds': { refunds: [refund], nextCursor: null },
  'GET /apps/app-1/webhooks': { deliveries: [delivery], nextCursor: null },
  'GET /apps/app-1/webhooks/health': { test: health, live: { ...health, url: '' } },
  'GET /audit': {
    entries: auditActions.map((action, index) => ({
      id: index + 1,
      at,
      operator: 'alice',
      appId: 'app-1',
      action,
      detail: null,
    })),
    nextCursor: null,
  },
};

function renderAt(path: string, locale?: Locale) {
  const api = consoleApi(
    new ApiClient({
      fetch: async (url, init = {}) => {
        const key = `${init.method ?? 'GET'} ${url.split('?')[0]!.replace('/console/api', '')}`;
        if (key === 'PUT /apps/app-1/button') {
          return new Response(
            JSON.stringify({
              error: { code: 'invalid', message: 'must be one of ali, wxmp', field: 'channels.0' },
            }),
            { status: 400 },
          );
        }
        const body = answers[key];
        return body === undefined
          ? new Response(JSON.stringify({ error: { code: 'not_found', message: key } }), { status: 404 })
          : new Response(JSON.stringify(body), { status: 200 });
      },
    }),
  );
  history.replaceState(null, '', path);
  return render(
    <I18nProvider initial={locale}>
      <App api={api} />
    </I18nProvider>,
  );
}

const pages: Array<[path: string, ready: RegExp]> = [
  ['/console/', /Dashboard|概览/],
  ['/console/apps', /^Apps$|^应用$/],
  ['/console/button', /秒支付/],
  ['/console/credentials', /Channel credentials|渠道参数/],
  ['/console/bills', /^Bills$|^订单$/],
  ['/console/bills/bill-1', /order0001/],
  ['/console/refunds', /^Refunds$|^退款$/],
  ['/console/webhooks', /^Webhooks?$/],
  ['/console/audit', /Audit log|操作日志/],
];

/** The page's text and accessible names, with what the data itself says (names, URLs, codes) taken out. */
async function pageText(path: string, ready: RegExp): Promise<string> {
  expect(
    await screen.findByRole('heading', { level: 1, name: ready }, { timeout: 5000 }),
  ).toBeInTheDocument();
  await waitFor(() => expect(document.body.textContent).not.toMatch(/Loading…|加载中/));
  const labels = [...document.querySelectorAll('[aria-label], [title], [placeholder]')].map((element) =>
    ['aria-label', 'title', 'placeholder'].map((name) => element.getAttribute(name) ?? '').join(' '),
  );
  return `${document.body.textContent} ${labels.join(' ')}`;
}

const han = /[\u3400-\u9fff\uff00-\uffef]/g;

describe('the console in English', () => {
  it.each(pages)('%s has no Chinese text but the product name', async (path, ready) => {
    renderAt(path, 'en');
    const text = await pageText(path, ready);
    // The product name, and the switch to Chinese written in Chinese (marked lang="zh-CN"), are left out.
    const toChinese = screen.getByRole('button', { name: 'Switch the console to Chinese' });
    expect(toChinese).toHaveTextContent('中文');
    expect(toChinese).toHaveAttribute('lang', 'zh-CN');
    const others = text.replaceAll('秒支付', '').replace('中文', '');
    expect(others.match(han) ?? [], others.slice(0, 400)).toEqual([]);
  });

  it('names channels, statuses and audit actions in English', async () => {
    renderAt('/console/button', 'en');
    expect(await screen.findByRole('switch', { name: 'Show Alipay' })).toBeChecked();
    expect(screen.getByRole('switch', { name: 'Show WeChat Pay (QR code)' })).toBeChecked();
    cleanup();
    renderAt('/console/audit', 'en');
    expect(await screen.findByText('Rotated a secret')).toBeInTheDocument();
    expect(screen.getByText('Changed the button channels')).toBeInTheDocument();
    cleanup();
    renderAt('/console/bills/bill-1', 'en');
    expect(await screen.findAllByText('Alipay (web)')).not.toHaveLength(0);
    expect(screen.getAllByText('Waiting for approval').length).toBeGreaterThan(0);
  });
});

describe('the console in Chinese', () => {
  it.each(pages)('%s speaks Chinese', async (path, ready) => {
    renderAt(path, 'zh-CN');
    const text = await pageText(path, ready);
    expect(text).toMatch(han);
    // No English interface words left (data, codes and URLs aside).
    for (const word of ['Save', 'Search', 'Refund', 'Status', 'Channel', 'Amount', 'Created', 'Delivered']) {
      expect(text.split(/\s+/), `${path}: ${word}`).not.toContain(word);
    }
  });

  it('names channels, statuses, audit actions and errors in Chinese, dates and amounts the Chinese way', async () => {
    renderAt('/console/button', 'zh-CN');
    expect(await screen.findByRole('switch', { name: '显示支付宝' })).toBeChecked();
    fireEvent.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findByText('请检查 channels.0：must be one of ali, wxmp')).toBeInTheDocument();
    cleanup();
    renderAt('/console/audit', 'zh-CN');
    expect(await screen.findByText('轮换密钥')).toBeInTheDocument();
    expect(screen.getByText('发起退款')).toBeInTheDocument();
    expect(document.querySelector('time')!.textContent).toBe(
      new Date(at).toLocaleString('zh-CN', { dateStyle: 'short', timeStyle: 'medium' }),
    );
    cleanup();
    renderAt('/console/bills/bill-1', 'zh-CN');
    expect(await screen.findAllByText('支付宝（网页）')).not.toHaveLength(0);
    expect(screen.getAllByText('待审批').length).toBeGreaterThan(0);
    expect(screen.getAllByText('¥12.34').length).toBeGreaterThan(0);
  });
});

describe('the language switch', () => {
  it('switches every label and is remembered by the browser', async () => {
    renderAt('/console/', 'en');
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Switch the console to Chinese' }));
    expect(await screen.findByRole('heading', { level: 1, name: '概览' })).toBeInTheDocument();
    expect(localStorage.getItem(localeStorageKey)).toBe('zh-CN');
    cleanup();
    // A new page load (no initial locale) with an English browser keeps the choice.
    renderAt('/console/');
    expect(await screen.findByRole('heading', { level: 1, name: '概览' })).toBeInTheDocument();
    expect(document.documentElement.lang).toBe('zh-CN');
  });
});
