import { describe, expect, it } from 'vitest';
import { NOTICES, payerNotice, troubleFor } from './notice-texts.ts';
import { NETWORK_NOTICE, type PayerTrouble } from './notices.ts';

describe('troubleFor', () => {
  it.each([
    ['NETWORK_ERROR', '', 'network'],
    ['RUNTIME_ERROR', '', 'gateway'],
    ['CHANNEL_ERROR', 'channel', 'channel'],
    ['PAY_FACTOR_NOT_SET', 'channel', 'channel'],
    ['BILL_NO_DUPLICATE', 'out_trade_no', 'paid'],
    ['BILL_NO_DUPLICATE', 'amount', 'shop'],
    ['CHANNEL_INVALID', 'instant_channel', 'shop'],
    ['APP_INVALID', 'sign', 'shop'],
    ['MISS_PARAM', 'openid', 'shop'],
    ['PARAM_INVALID', 'amount', 'shop'],
  ])('%s on %s is the %s state', (code, field, trouble) => {
    expect(troubleFor({ code, field, message: `${field}: …` })).toBe(trouble);
  });
});

describe('the notices', () => {
  const states = Object.keys(NOTICES) as Exclude<PayerTrouble, 'network'>[];

  it('cover every state but network, which the first script carries', () => {
    expect(states.sort()).toEqual(['channel', 'gateway', 'paid', 'qrExpired', 'shop', 'unfinished']);
    expect(payerNotice('network', 'zh-CN')).toBeUndefined();
    expect(payerNotice({ code: 'NETWORK_ERROR', field: '', message: 'x' }, 'en')).toBeUndefined();
  });

  it('are short sentences, Chinese without English words, English without Chinese', () => {
    const all = [...states.map((state) => payerNotice(state, 'zh-CN')!), NETWORK_NOTICE['zh-CN']];
    for (const { title, text } of all) {
      expect(`${title}${text}`).not.toMatch(/[A-Za-z]/);
      expect(text).toMatch(/。$/);
      expect(title.length).toBeLessThanOrEqual(12);
    }
    const english = [...states.map((state) => payerNotice(state, 'en')!), NETWORK_NOTICE.en];
    for (const { title, text } of english) {
      expect(`${title}${text}`).not.toMatch(/[\u4e00-\u9fff]/);
      expect(text).toMatch(/\.$/);
    }
  });

  it('find the notice of a DataError, with its way out', () => {
    expect(
      payerNotice({ code: 'CHANNEL_ERROR', field: 'channel', message: 'channel: refused' }, 'zh-CN'),
    ).toEqual({
      title: '该支付方式暂不可用',
      text: '请选择其他支付方式。',
      action: 'menu',
    });
    expect(payerNotice('qrExpired', 'en')).toEqual({
      title: 'QR code expired',
      text: 'Refresh to get a new code.',
      action: 'refresh',
    });
  });
});
