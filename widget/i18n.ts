/** The payer-facing texts: zh-CN (the original's) by default, English on request. */
import { channelFamily, type ChannelCode } from './channels.ts';

export type Locale = 'zh-CN' | 'en';

export interface Messages {
  pay: string;
  close: string;
  channels: string;
  total: (amount: string) => string;
  confirm: string;
  creating: string;
  /** Labels by channel family: wx* share WeChat's, un* share UnionPay's. */
  channelLabel: Record<string, string>;
  /** The labels of the ways out of a payer notice (notices.ts NoticeAction; `close` too). */
  refresh: string;
  retry: string;
  menu: string;
}

const zhCN: Messages = {
  pay: '支付',
  close: '关闭',
  channels: '支付方式',
  total: (amount) => `合计：¥${amount}`,
  confirm: '确认',
  creating: '正在创建订单…',
  channelLabel: {
    ali: '支付宝支付',
    wx: '微信支付',
    un: '银联支付',
    jd: '京东支付',
    bd: '百度钱包',
    yee: '易宝支付',
    kuaiqian: '快钱支付',
  },
  refresh: '刷新',
  retry: '重试',
  menu: '选择其他支付方式',
};

const en: Messages = {
  pay: 'Pay',
  close: 'Close',
  channels: 'Payment method',
  total: (amount) => `Total: ¥${amount}`,
  confirm: 'Confirm',
  creating: 'Creating the order…',
  channelLabel: {
    ali: 'Alipay',
    wx: 'WeChat Pay',
    un: 'UnionPay',
    jd: 'JD Pay',
    bd: 'Baidu Wallet',
    yee: 'YeePay',
    kuaiqian: '99Bill',
  },
  refresh: 'Refresh',
  retry: 'Try again',
  menu: 'Choose another method',
};

export function messagesFor(locale: Locale): Messages {
  return locale === 'en' ? en : zhCN;
}

/**
 * `locale: 'en'` or `'zh-CN'` wins. Otherwise the page's declared language (`<html lang>`), then the browser's
 * first language: English for an English browser on a page that does not say it is Chinese, zh-CN otherwise
 * (the original's language, so BeeCloud's Chinese pages keep their Chinese menu).
 */
export function resolveLocale(
  requested: string | undefined,
  pageLanguage: string,
  browserLanguages: readonly string[],
): Locale {
  if (requested === 'en' || requested === 'zh-CN') return requested;
  return /^en\b/i.test(pageLanguage || browserLanguages[0] || '') ? 'en' : 'zh-CN';
}

export function channelLabel(messages: Messages, code: ChannelCode): string {
  return messages.channelLabel[channelFamily(code)];
}
