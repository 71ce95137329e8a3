/**
 * Every state where a payment stops, in both languages, as the payer sees it: what happened and what to do, with
 * one way out that works; never a result code, an exception text or (in zh-CN) an English word. The merchant
 * gets the code and the message (dataError, the `failed` event). The gateway client is the real one over a
 * fetch that answers as the gateway does (or fails as an unreachable gateway does).
 */
import '@testing-library/jest-dom/vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/dom';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelCode } from '../channels.ts';
import { createGatewayClient } from '../gateway.ts';
import { messagesFor, type Locale } from '../i18n.ts';
import { qrChunk } from '../qr/lazy.ts';
import type { ClickEvents, DataError, Environment, LifecycleDetail, Order, PublicBill } from '../types.ts';
import { readDrawnQr } from '../testing/read-drawn-qr.ts';
import { closeCheckouts, showCheckout } from '../testing/show-checkout.ts';
import type { Platform } from './platform.ts';

const GATEWAY = 'http://gateway.test';

const order: Order = {
  outTradeNo: 'shop20261202001',
  title: '测试商品',
  amount: 1,
  sign: '0123456789abcdef0123456789abcdef',
  debug: false,
  needAliGuide: true,
  useApp: true,
};

/** Visible words a zh-CN notice may contain (none today: brand names would go here). */
const ALLOWED_LATIN: string[] = [];
/** A BeeCloud result name (NETWORK_ERROR, APP_INVALID…) or an exception's name. */
const CODE_LIKE = /[A-Z]{2,}_[A-Z_]+|TypeError|Error:|fetch/;

type Answer = Record<string, unknown> | 'unreachable';

function json(body: unknown): Response {
  return new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });
}

function refusal(code: number, resultMsg: string, errDetail: string): Record<string, unknown> {
  return { resultCode: code, result_code: code, result_msg: resultMsg, err_detail: errDetail };
}

function publicBill(status: PublicBill['status'], lifetimeMs: number): PublicBill {
  return {
    id: 'bill-qr-1',
    bill_no: order.outTradeNo,
    title: order.title,
    total_fee: 1,
    channel: 'WX',
    sub_channel: 'WX_NATIVE',
    spay_result: status === 'paid',
    status,
    create_time: Date.now(),
    trade_no: '',
    expires_at: Date.now() + lifetimeMs,
  };
}

interface Setup {
  locale: Locale;
  /** The gateway's answers to bill creation, in turn (the last one repeats). */
  answers: Answer[];
  channels?: ChannelCode[];
  environment?: Environment;
  instantChannel?: ChannelCode;
  initialError?: DataError;
  /** The bill status the gateway reports for a QR bill. */
  qrStatus?: PublicBill['status'];
  /** How long the QR bill lives (its expires_at as the gateway reports it). */
  qrLifetimeMs?: number;
  /** Replaces the lazy chunk's loader. */
  loadChunk?: Platform['loadChunk'];
  /** Replaces the redirect channels' hidden form. */
  submitForm?: Platform['submitForm'];
}

function setup(options: Setup) {
  const creations: string[] = [];
  const answers = [...options.answers];
  const fetchFn = async (url: string) => {
    if (url.includes('/2/rest/bill_public/'))
      return json({
        result_code: 0,
        pay: publicBill(options.qrStatus ?? 'open', options.qrLifetimeMs ?? 3_600_000),
      });
    creations.push(url);
    const answer = answers.length > 1 ? answers.shift()! : answers[0];
    if (answer === 'unreachable') throw new TypeError('Failed to fetch');
    return json(answer);
  };
  const errors: DataError[] = [];
  const events: { name: string; detail: LifecycleDetail }[] = [];
  const callbacks: ClickEvents = {
    dataError: (error) => errors.push(error),
    failed: (detail) => events.push({ name: 'failed', detail }),
    expired: (detail) => events.push({ name: 'expired', detail }),
  };
  const platform: Platform = {
    navigate: () => {},
    submitForm: options.submitForm ?? (() => {}),
    alert: vi.fn(),
    loadChunk: options.loadChunk ?? (async () => qrChunk),
    openStream: null,
    win: window,
  };
  const onClose = vi.fn();
  showCheckout({
    order: options.environment === 'wechat' ? { ...order, openid: 'o6_bmjrPTlm6_2sgVt7hMZOPfL2M' } : order,
    environment: options.environment ?? 'desktop',
    channels: options.channels ?? ['ali', 'wxmp', 'un'],
    messages: messagesFor(options.locale),
    locale: options.locale,
    gateway: () => createGatewayClient(GATEWAY, 'app-1', fetchFn),
    platform,
    callbacks,
    instantChannel: options.instantChannel,
    initialError: options.initialError,
    onClose,
  });
  return { creations, errors, events, onClose, platform };
}

/** The notice as the payer reads it, checked for codes, exception texts and (zh-CN) English words. */
async function notice(locale: Locale, title: string): Promise<HTMLElement> {
  const alert = await screen.findByRole('alert', {}, { timeout: 4000 });
  await waitFor(() => expect(alert).toHaveTextContent(title));
  const text = screen.getByRole('dialog').textContent ?? '';
  expect(text).not.toMatch(CODE_LIKE);
  if (locale === 'zh-CN') {
    const latin = (text.match(/[A-Za-z]{3,}/g) ?? []).filter((word) => !ALLOWED_LATIN.includes(word));
    expect(latin).toEqual([]);
  }
  return alert;
}

function expectText(alert: HTMLElement, ...parts: string[]) {
  for (const part of parts) expect(alert).toHaveTextContent(part);
}

afterEach(() => {
  closeCheckouts();
  delete (window as unknown as { WeixinJSBridge?: unknown }).WeixinJSBridge;
});
beforeEach(() => {
  vi.spyOn(console, 'warn').mockImplementation(() => {});
});

const ZH = 'zh-CN' as const;
const EN = 'en' as const;

describe('the gateway cannot be reached', () => {
  it.each([
    [ZH, '网络连接失败', '请检查网络后重试。', '重试'],
    [EN, 'No connection', 'Check your connection and try again.', 'Try again'],
  ] as const)(
    '%s: says so, and the retry pays once the gateway is back',
    async (locale, title, text, retry) => {
      const { creations, errors, events } = setup({
        locale,
        answers: [
          'unreachable',
          {
            ...refusal(0, 'OK', ''),
            action: 'redirect',
            id: 'bill-1',
            url: 'https://cashier.test',
            method: 'GET',
          },
        ],
        instantChannel: 'ali',
      });
      const alert = await notice(locale, title);
      expectText(alert, text);
      expect(errors).toHaveLength(1);
      expect(errors[0].code).toBe('NETWORK_ERROR');
      expect(errors[0].message).toContain('Failed to fetch');
      expect(events.map((event) => event.detail.error?.code)).toEqual(['NETWORK_ERROR']);
      fireEvent.click(within(alert).getByRole('button', { name: retry }));
      await waitFor(() => expect(creations).toHaveLength(2));
      expect(screen.queryByRole('alert')).toBeNull();
    },
  );
});

describe('the gateway answers a refusal', () => {
  const cases = [
    {
      name: 'a gateway error',
      answer: refusal(14, 'RUNTIME_ERROR', 'database: locked'),
      zh: ['支付服务暂不可用', '请稍后重试。', '重试'],
      en: ['Service unavailable', 'Please try again later.', 'Try again'],
      action: 'retry',
    },
    {
      name: 'the channel refusing the payment',
      answer: refusal(7, 'CHANNEL_ERROR', 'channel: ALI_WEB did not accept the payment, try another channel'),
      zh: ['该支付方式暂不可用', '请选择其他支付方式。', '选择其他支付方式'],
      en: ['Payment method unavailable', 'Please choose another one.', 'Choose another method'],
      action: 'menu',
    },
    {
      name: 'a channel without credentials on the gateway',
      answer: refusal(2, 'PAY_FACTOR_NOT_SET', 'channel: ALI_WEB has no live credentials on this gateway'),
      zh: ['该支付方式暂不可用', '请选择其他支付方式。', '选择其他支付方式'],
      en: ['Payment method unavailable', 'Please choose another one.', 'Choose another method'],
      action: 'menu',
    },
    {
      name: "the shop's wrong sign",
      answer: refusal(
        1,
        'APP_INVALID',
        'sign: does not match md5(appId + title + amount + out_trade_no + appSecret)',
      ),
      zh: ['暂时无法付款', '请联系商户。', '关闭'],
      en: ['Payment cannot start', 'Please contact the shop.', 'Close'],
      action: 'close',
    },
    {
      name: 'a channel the app has not configured (PAY_FACTOR_NOT_SET, as BeeCloud answered)',
      answer: refusal(2, 'PAY_FACTOR_NOT_SET', 'channel: ALI_WEB is not enabled for this app'),
      zh: ['该支付方式暂不可用', '请选择其他支付方式。', '选择其他支付方式'],
      en: ['Payment method unavailable', 'Please choose another one.', 'Choose another method'],
      action: 'menu',
    },
    {
      name: 'a channel name the gateway does not know',
      answer: refusal(3, 'CHANNEL_INVALID', 'channel: JD_WEB is not a button channel'),
      zh: ['暂时无法付款', '请联系商户。', '关闭'],
      en: ['Payment cannot start', 'Please contact the shop.', 'Close'],
      action: 'close',
    },
    {
      name: 'an order paid already',
      answer: refusal(17, 'BILL_NO_DUPLICATE', 'out_trade_no: order shop20261202001 is already paid'),
      zh: ['订单已支付', '无需重复付款。', '关闭'],
      en: ['Already paid', 'No need to pay again.', 'Close'],
      action: 'close',
    },
  ];
  for (const { name, answer, zh, en, action } of cases) {
    for (const [locale, [title, text, label]] of [
      [ZH, zh],
      [EN, en],
    ] as const) {
      it(`${locale}: ${name}`, async () => {
        const { creations, errors, events, onClose } = setup({
          locale,
          answers: [answer],
          instantChannel: 'ali',
        });
        const alert = await notice(locale, title);
        expectText(alert, text);
        expect(errors.map((error) => [error.code, error.message])).toEqual([
          [answer.result_msg, answer.err_detail],
        ]);
        expect(events[0].detail.error?.code).toBe(answer.result_msg);
        fireEvent.click(within(alert).getByRole('button', { name: label }));
        if (action === 'retry') await waitFor(() => expect(creations).toHaveLength(2));
        if (action === 'menu') expect(await screen.findAllByRole('radio')).not.toHaveLength(0);
        if (action === 'close') expect(onClose).toHaveBeenCalledOnce();
      });
    }
  }
});

describe("the page's own data is wrong (no dataError callback on the page)", () => {
  it.each([
    [ZH, '暂时无法付款', '请联系商户。'],
    [EN, 'Payment cannot start', 'Please contact the shop.'],
  ] as const)('%s: the payer is sent to the shop, not shown the field', async (locale, title, text) => {
    const { onClose } = setup({
      locale,
      answers: [],
      initialError: {
        code: 'PARAM_INVALID',
        field: 'out_trade_no',
        message: 'out_trade_no: must be 8 to 32 letters or digits',
      },
    });
    const alert = await notice(locale, title);
    expectText(alert, text);
    expect(alert).not.toHaveTextContent('out_trade_no');
    fireEvent.click(within(alert).getByRole('button', { name: messagesFor(locale).close }));
    expect(onClose).toHaveBeenCalledOnce();
  });
});

const QR_BILL = {
  ...refusal(0, 'OK', ''),
  action: 'qr',
  id: 'bill-qr-1',
  code_url: `${GATEWAY}/sandbox/wx/scan/bill-qr-1`,
  total_fee: 1,
};

describe('the QR bill', () => {
  it("draws exactly the gateway's code_url, for the payer's phone to scan", async () => {
    const codeUrl = 'weixin://wxpay/bizpayurl?pr=QrPanel7e57';
    setup({
      locale: ZH,
      answers: [{ ...QR_BILL, action: 'qr', code_url: codeUrl, expires_at: Date.now() + 3_600_000 }],
      instantChannel: 'wxmp',
    });
    const image = await screen.findByRole('img', { name: '微信付款二维码' }, { timeout: 4000 });
    expect(readDrawnQr(image as unknown as SVGSVGElement)).toBe(codeUrl);
  });
});

describe('the QR bill ends unpaid', () => {
  it.each([
    [ZH, '二维码已过期', '请刷新后重新扫码付款。', '刷新'],
    [EN, 'QR code expired', 'Refresh to get a new code.', 'Refresh'],
  ] as const)(
    '%s: the countdown reaches zero, and 刷新 asks for a new code',
    async (locale, title, text, refresh) => {
      const { creations, events } = setup({
        locale,
        answers: [{ ...QR_BILL, expires_at: Date.now() + 1000 }],
        qrLifetimeMs: 1000,
        instantChannel: 'wxmp',
      });
      const alert = await notice(locale, title);
      expectText(alert, text);
      expect(events.map((event) => event.name)).toEqual(['expired']);
      fireEvent.click(within(alert).getByRole('button', { name: refresh }));
      await waitFor(() => expect(creations).toHaveLength(2));
    },
  );

  it.each([
    [ZH, '二维码已过期', '请刷新后重新扫码付款。', '刷新'],
    [EN, 'QR code expired', 'Refresh to get a new code.', 'Refresh'],
  ] as const)(
    '%s: the gateway says the bill expired before the countdown ends: the same notice',
    async (locale, title, text, refresh) => {
      const { events } = setup({
        locale,
        answers: [{ ...QR_BILL, expires_at: Date.now() + 3_600_000 }],
        instantChannel: 'wxmp',
        qrStatus: 'expired',
      });
      const alert = await notice(locale, title);
      expectText(alert, text);
      expect(events.map((event) => event.name)).toEqual(['expired']);
      expect(within(alert).getByRole('button', { name: refresh })).toBeInTheDocument();
    },
  );

  it.each([
    [ZH, '支付未完成', '请重新选择支付方式。', '选择其他支付方式'],
    [EN, 'Payment not completed', 'Please choose a payment method.', 'Choose another method'],
  ] as const)('%s: the payment was cancelled or failed in the channel', async (locale, title, text, menu) => {
    const { events } = setup({
      locale,
      answers: [{ ...QR_BILL, expires_at: Date.now() + 3_600_000 }],
      instantChannel: 'wxmp',
      qrStatus: 'closed',
    });
    const alert = await notice(locale, title);
    expectText(alert, text);
    expect(events.map((event) => [event.name, event.detail.bill?.status])).toEqual([['failed', 'closed']]);
    fireEvent.click(within(alert).getByRole('button', { name: menu }));
    expect(await screen.findAllByRole('radio')).not.toHaveLength(0);
  });
});

describe('WeChat JSAPI', () => {
  const JSAPI_BILL = {
    ...refusal(0, 'OK', ''),
    action: 'jsapi',
    id: 'bill-wx-1',
    app_id: 'wx123',
    timestamp: '1700000000',
    nonce_str: 'n',
    package: 'prepay_id=wx1',
    sign_type: 'MD5',
    pay_sign: 'S',
  };

  function bridgeAnswering(answer: string) {
    (window as unknown as { WeixinJSBridge: unknown }).WeixinJSBridge = {
      invoke: (_name: string, _params: unknown, callback: (result: { err_msg: string }) => void) =>
        setTimeout(() => callback({ err_msg: `get_brand_wcpay_request:${answer}` })),
    };
  }

  for (const answer of ['cancel', 'fail']) {
    it.each([
      [ZH, '支付未完成', '请重新选择支付方式。', '选择其他支付方式'],
      [EN, 'Payment not completed', 'Please choose a payment method.', 'Choose another method'],
    ] as const)(`%s: answered ${answer}, the dialog stays and says so`, async (locale, title, text, menu) => {
      bridgeAnswering(answer);
      const { onClose } = setup({
        locale,
        answers: [JSAPI_BILL],
        environment: 'wechat',
        channels: ['ali', 'wx', 'un'],
        instantChannel: 'wx',
      });
      const alert = await notice(locale, title);
      expectText(alert, text);
      expect(onClose).not.toHaveBeenCalled();
      fireEvent.click(within(alert).getByRole('button', { name: menu }));
      expect(await screen.findAllByRole('radio')).not.toHaveLength(0);
    });
  }

  it('answered ok, the dialog closes as in the original', async () => {
    bridgeAnswering('ok');
    const { onClose } = setup({
      locale: ZH,
      answers: [JSAPI_BILL],
      environment: 'wechat',
      channels: ['wx'],
      instantChannel: 'wx',
    });
    await waitFor(() => expect(onClose).toHaveBeenCalledOnce());
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('the lazy chunk (which holds JSAPI) cannot load: the network notice, the merchant told', async () => {
    bridgeAnswering('ok');
    const { errors, events, onClose } = setup({
      locale: ZH,
      answers: [JSAPI_BILL],
      environment: 'wechat',
      channels: ['wx'],
      instantChannel: 'wx',
      loadChunk: () => Promise.reject(new Error('could not load spay-qr.js')),
    });
    const alert = await notice(ZH, '网络连接失败');
    expectText(alert, '请检查网络后重试。');
    expect(errors.map((error) => error.code)).toEqual(['NETWORK_ERROR']);
    expect(events.map((event) => [event.name, event.detail.channel])).toEqual([['failed', 'wx']]);
    expect(onClose).not.toHaveBeenCalled();
  });
});

/** A lazy chunk that arrives when the test says so (every load waits for the same arrival). */
function slowChunk() {
  let arrive: () => void = () => {};
  const loaded = new Promise<typeof qrChunk>((resolve) => (arrive = () => resolve(qrChunk)));
  return { loaded, arrive, loadChunk: () => loaded };
}

describe('the lazy chunk, which creates the bill', () => {
  it('loads at the payer’s choice with a spinner; the bill request goes out once it is here', async () => {
    const chunk = slowChunk();
    const { creations } = setup({
      locale: EN,
      answers: [refusal(7, 'CHANNEL_ERROR', 'channel: refused')],
      loadChunk: chunk.loadChunk,
    });
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    expect(screen.getByRole('heading', { name: 'Creating the order…' })).toBeVisible();
    expect(creations).toHaveLength(0);
    chunk.arrive();
    await waitFor(() => expect(creations).toHaveLength(1));
    await notice(EN, 'Payment method unavailable');
  });

  it('the dialog closed while it loads: no bill is requested', async () => {
    const chunk = slowChunk();
    const { creations, errors } = setup({
      locale: ZH,
      answers: [refusal(7, 'CHANNEL_ERROR', 'channel: refused')],
      instantChannel: 'ali',
      loadChunk: chunk.loadChunk,
    });
    expect(screen.getByRole('heading', { name: '正在创建订单…' })).toBeVisible();
    closeCheckouts(); // removes the dialog, as BC.close() and the close button do
    chunk.arrive();
    // The checkout's own callback on the load was registered first, so it has run once this one runs.
    await chunk.loaded.then(() => undefined);
    expect(creations).toEqual([]);
    expect(errors).toEqual([]);
  });
});

describe('the lazy chunk cannot be loaded', () => {
  it('falls back to the network notice (the likely cause), whose retry loads it and creates the bill', async () => {
    let loads = 0;
    const { creations, errors } = setup({
      locale: ZH,
      answers: [refusal(7, 'CHANNEL_ERROR', 'channel: refused')],
      instantChannel: 'ali',
      // The chunk holds the bill's creation: nothing is sent while it cannot load; it loads on the retry.
      loadChunk: () =>
        ++loads === 1 ? Promise.reject(new Error('could not load spay-qr.js')) : Promise.resolve(qrChunk),
    });
    const alert = await notice(ZH, '网络连接失败');
    expectText(alert, '请检查网络后重试。');
    expect(creations).toHaveLength(0);
    expect(errors.map((error) => error.code)).toEqual(['NETWORK_ERROR']);
    fireEvent.click(within(alert).getByRole('button', { name: '重试' }));
    await waitFor(() => expect(creations).toHaveLength(1));
    await notice(ZH, '该支付方式暂不可用');
  });

  it('a redirect channel whose hidden form (in the chunk) cannot load: the network notice, the merchant told', async () => {
    const { errors, events } = setup({
      locale: EN,
      answers: [{ ...refusal(0, 'OK', ''), action: 'redirect', id: 'bill-1', url: 'https://cashier.test' }],
      instantChannel: 'ali',
      submitForm: () => Promise.reject(new Error('could not load spay-qr.js')),
    });
    const alert = await notice(EN, 'No connection');
    expectText(alert, 'Check your connection and try again.');
    expect(errors.map((error) => error.code)).toEqual(['NETWORK_ERROR']);
    expect(events.map((event) => [event.name, event.detail.channel])).toEqual([['failed', 'ali']]);
  });
});

describe('the focus (a keyboard or screen-reader payer)', () => {
  it('starts on the chosen channel, moves to the notice’s way out, back to the menu, and Esc closes', async () => {
    const { onClose } = setup({
      locale: ZH,
      answers: [
        refusal(7, 'CHANNEL_ERROR', 'channel: ALI_WEB did not accept the payment, try another channel'),
      ],
    });
    const dialog = screen.getByRole('dialog', { name: '支付' });
    expect(within(dialog).getByRole('radio', { name: '支付宝支付' })).toHaveFocus();
    fireEvent.click(within(dialog).getByRole('radio', { name: '银联支付' }));
    fireEvent.click(within(dialog).getByRole('button', { name: '确认' }));
    const alert = await notice(ZH, '该支付方式暂不可用');
    const another = within(alert).getByRole('button', { name: '选择其他支付方式' });
    expect(another).toHaveFocus();
    expect(screen.getByRole('status')).toHaveTextContent('该支付方式暂不可用 请选择其他支付方式。');
    fireEvent.click(another);
    expect(within(dialog).getByRole('radio', { name: '支付宝支付' })).toHaveFocus();
    expect(within(dialog).getByText('合计：¥0.01')).toBeInTheDocument();
    fireEvent.keyDown(dialog, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledOnce();
  });

  it('keeps Tab inside the dialog while a notice shows', async () => {
    setup({ locale: EN, answers: ['unreachable'], instantChannel: 'ali' });
    const alert = await notice(EN, 'No connection');
    const retry = within(alert).getByRole('button', { name: 'Try again' });
    expect(retry).toHaveFocus();
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Tab' });
    expect(screen.getByRole('button', { name: 'Close' })).toHaveFocus();
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Tab', shiftKey: true });
    expect(retry).toHaveFocus();
  });
});
