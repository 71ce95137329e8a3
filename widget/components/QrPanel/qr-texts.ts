/** The QR panel's texts, shipped in the QR chunk with it (the first script only carries the panel's title). */
import type { Locale } from '../../i18n.ts';

export interface QrTexts {
  title: string;
  instruction: string;
  image: string;
  copyLink: string;
  linkCopied: string;
  paymentLink: string;
  remaining: (time: string) => string;
  minutesLeft: (minutes: number) => string;
  secondsLeft: (seconds: number) => string;
}

const zhCN: QrTexts = {
  title: '微信扫码付款',
  instruction: '请使用微信扫码付款',
  image: '微信付款二维码',
  copyLink: '复制付款链接',
  linkCopied: '链接已复制',
  paymentLink: '付款链接',
  remaining: (time) => `剩余 ${time}`,
  minutesLeft: (minutes) => `二维码将在 ${minutes} 分钟后过期`,
  secondsLeft: (seconds) => `二维码将在 ${seconds} 秒后过期`,
};

const en: QrTexts = {
  title: 'Scan with WeChat to pay',
  instruction: 'Open WeChat and scan the code to pay',
  image: 'WeChat Pay QR code',
  copyLink: 'Copy payment link',
  linkCopied: 'Link copied',
  paymentLink: 'Payment link',
  remaining: (time) => `${time} left`,
  minutesLeft: (minutes) => `The QR code expires in ${minutes} min`,
  secondsLeft: (seconds) => `The QR code expires in ${seconds} seconds`,
};

export function qrTexts(locale: Locale): QrTexts {
  return locale === 'en' ? en : zhCN;
}
