import { describe, expect, it } from 'vitest';
import { KNOWN_CHANNELS, menuChannels, restChannelFor, type ChannelCode } from './channels.ts';
import { detectEnvironment } from './environment.ts';
import type { Environment } from './types.ts';

const UA: Record<Environment, string> = {
  desktop:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36',
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  wechat:
    'Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0 Mobile Safari/537.36 MicroMessenger/8.0.40.2420(0x28002837) NetType/WIFI Language/zh_CN',
};

describe('detectEnvironment (reference §3 regexes)', () => {
  it.each([
    [UA.desktop, 'desktop'],
    [UA.mobile, 'mobile'],
    [UA.wechat, 'wechat'],
    ['Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X)', 'mobile'],
    ['Mozilla/5.0 (Linux; U; Android 4.0; UCWEB)', 'mobile'],
    ['Mozilla/5.0 (compatible; MSIE 9.0; Windows Phone OS 7.5; Windows Mobile)', 'mobile'],
    ['Mozilla/5.0 (Windows NT 6.1; WOW64) MicroMessenger/7.0.9 WindowsWechat', 'wechat'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) Safari/605.1.15', 'desktop'],
  ])('%s → %s', (userAgent, environment) => {
    expect(detectEnvironment(userAgent)).toBe(environment);
  });
});

/** The full matrix: every channel code × every environment → its REST channel and whether the menu shows it. */
const matrix: [ChannelCode, Environment, string, boolean][] = [
  ['ali', 'desktop', 'ALI_WEB', true],
  ['ali', 'mobile', 'ALI_WAP', true],
  ['ali', 'wechat', 'ALI_WAP', true],
  ['aliqr', 'desktop', 'ALI_QRCODE', true],
  ['aliqr', 'mobile', 'ALI_QRCODE', false],
  ['aliqr', 'wechat', 'ALI_QRCODE', false],
  ['wxmp', 'desktop', 'WX_NATIVE', true],
  ['wxmp', 'mobile', 'WX_NATIVE', true],
  ['wxmp', 'wechat', 'WX_NATIVE', false],
  ['wx', 'desktop', 'WX_JSAPI', false],
  ['wx', 'mobile', 'WX_JSAPI', false],
  ['wx', 'wechat', 'WX_JSAPI', true],
  ['wxwap', 'desktop', 'WX_WAP', false],
  ['wxwap', 'mobile', 'WX_WAP', true],
  ['wxwap', 'wechat', 'WX_WAP', false],
  ['un', 'desktop', 'UN_WEB', true],
  ['un', 'mobile', 'UN_WEB', true],
  ['un', 'wechat', 'UN_WEB', true],
  ['unwap', 'desktop', 'UN_WAP', true],
  ['unwap', 'mobile', 'UN_WAP', true],
  ['unwap', 'wechat', 'UN_WAP', true],
  ['jd', 'desktop', 'JD_WEB', true],
  ['jd', 'mobile', 'JD_WAP', true],
  ['jd', 'wechat', 'JD_WAP', true],
  ['bd', 'desktop', 'BD_WEB', true],
  ['bd', 'mobile', 'BD_WAP', true],
  ['bd', 'wechat', 'BD_WAP', true],
  ['yee', 'desktop', 'YEE_WEB', true],
  ['yee', 'mobile', 'YEE_WAP', true],
  ['yee', 'wechat', 'YEE_WAP', true],
  ['kuaiqian', 'desktop', 'KUAIQIAN_WEB', true],
  ['kuaiqian', 'mobile', 'KUAIQIAN_WAP', true],
  ['kuaiqian', 'wechat', 'KUAIQIAN_WAP', true],
];

describe('routing matrix', () => {
  it('covers every known channel in every environment', () => {
    expect(matrix.length).toBe(KNOWN_CHANNELS.length * 3);
  });

  it.each(matrix)('%s in %s → %s (in the menu alone: %s)', (code, environment, restChannel, shown) => {
    expect(restChannelFor(code, environment)).toBe(restChannel);
    expect(menuChannels([code], environment)).toEqual(shown ? [code] : []);
  });
});

describe('menu filtering with several channels', () => {
  it("keeps the app's configured order", () => {
    expect(menuChannels(['un', 'wxmp', 'ali'], 'desktop')).toEqual(['un', 'wxmp', 'ali']);
  });

  it('shows wx and hides wxmp inside WeChat (the demo app)', () => {
    expect(menuChannels(['ali', 'wxmp', 'wx', 'un'], 'wechat')).toEqual(['ali', 'wx', 'un']);
    expect(menuChannels(['ali', 'wxmp', 'wx', 'un'], 'desktop')).toEqual(['ali', 'wxmp', 'un']);
    expect(menuChannels(['ali', 'wxmp', 'wx', 'un'], 'mobile')).toEqual(['ali', 'wxmp', 'un']);
  });

  it('on a phone a configured wxwap hides wxmp; on desktop wxwap is hidden', () => {
    expect(menuChannels(['wxmp', 'wxwap'], 'mobile')).toEqual(['wxwap']);
    expect(menuChannels(['wxmp', 'wxwap'], 'desktop')).toEqual(['wxmp']);
  });

  it('with both un and unwap: unwap on phones, un on desktop', () => {
    expect(menuChannels(['un', 'unwap'], 'desktop')).toEqual(['un']);
    expect(menuChannels(['un', 'unwap'], 'mobile')).toEqual(['unwap']);
    expect(menuChannels(['un', 'unwap'], 'wechat')).toEqual(['unwap']);
  });

  it('drops unknown codes and repeats', () => {
    expect(menuChannels(['ali', 'paypal', 'ali', 'un'], 'desktop')).toEqual(['ali', 'un']);
  });
});
