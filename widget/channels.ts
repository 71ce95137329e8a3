import type { Environment } from './types.ts';

/** Channel codes the original script knew (reference §2), in no particular order. */
export const KNOWN_CHANNELS = [
  'ali',
  'aliqr',
  'wxmp',
  'wx',
  'wxwap',
  'un',
  'unwap',
  'jd',
  'bd',
  'yee',
  'kuaiqian',
] as const;
export type ChannelCode = (typeof KNOWN_CHANNELS)[number];

export function isKnownChannel(code: string): code is ChannelCode {
  return (KNOWN_CHANNELS as readonly string[]).includes(code);
}

/** Channels whose REST channel is CODE_WEB on desktop and CODE_WAP on phones. */
const WEB_OR_WAP: Record<string, string> = {
  ali: 'ALI',
  jd: 'JD',
  bd: 'BD',
  yee: 'YEE',
  kuaiqian: 'KUAIQIAN',
};
const FIXED: Record<string, string> = {
  aliqr: 'ALI_QRCODE',
  wxmp: 'WX_NATIVE',
  wx: 'WX_JSAPI',
  wxwap: 'WX_WAP',
  un: 'UN_WEB',
  unwap: 'UN_WAP',
};

/** Reference §3: channel code → the REST channel of POST /2/rest/jsbutton/{CHANNEL}. */
export function restChannelFor(code: ChannelCode, environment: Environment): string {
  const prefix = WEB_OR_WAP[code];
  if (prefix) return `${prefix}_${environment === 'desktop' ? 'WEB' : 'WAP'}`;
  return FIXED[code];
}

/**
 * Reference §3's menu rules, keeping the app's configured order: `aliqr` (Alipay QR code) on desktop only; `wx` only inside WeChat; `wxmp`/`wxwap` hidden
 * inside WeChat; on a phone a configured `wxwap` hides `wxmp`; on desktop `wxwap` is hidden; with both `un` and
 * `unwap`, `unwap` on phones and `un` on desktop. Unknown codes and repeats are dropped.
 */
export function menuChannels(configured: readonly string[], environment: Environment): ChannelCode[] {
  const codes = configured.filter(isKnownChannel).filter((code, index, all) => all.indexOf(code) === index);
  const has = (code: ChannelCode) => codes.includes(code);
  return codes.filter((code) => {
    switch (code) {
      case 'wx':
        return environment === 'wechat';
      case 'aliqr':
        return environment === 'desktop';
      case 'wxmp':
        return environment === 'desktop' || (environment === 'mobile' && !has('wxwap'));
      case 'wxwap':
        return environment === 'mobile';
      case 'un':
        return !(has('unwap') && environment !== 'desktop');
      case 'unwap':
        return !(has('un') && environment === 'desktop');
      default:
        return true;
    }
  });
}

/** ali and aliqr are Alipay; wxmp, wx and wxwap are all WeChat Pay; un and unwap are UnionPay. */
export function channelFamily(code: ChannelCode): string {
  return code.startsWith('ali') ? 'ali' : code.startsWith('wx') ? 'wx' : code.startsWith('un') ? 'un' : code;
}
