/**
 * WeChat OAuth (snsapi_base) for the payer's openid that JSAPI payments need: the authorize URL the payer's
 * browser is sent to inside WeChat, and the exchange of the `code` WeChat sends back for the openid (with the
 * official account's AppSecret). No user info is asked for: snsapi_base is silent for the payer.
 */
import { ChannelCallError, ChannelSettingsError, type OutboundHttp } from '../channel.ts';
import type { WechatpaySettings } from './wechatpay-settings.ts';

/**
 * Where to send the payer: WeChat shows nothing for snsapi_base and redirects to `callbackUrl?code=…&state=…`.
 * The parameter order is the one WeChat documents (it is picky about it), and `#wechat_redirect` ends the URL.
 */
export function oauthAuthorizeUrl(
  settings: Pick<WechatpaySettings, 'appid' | 'oauth_base_url'>,
  callbackUrl: string,
  state: string,
): string {
  if (!/^[0-9A-Za-z_-]{0,128}$/.test(state)) throw new Error('state must be at most 128 of [0-9A-Za-z_-]');
  return (
    `${settings.oauth_base_url}/connect/oauth2/authorize?appid=${encodeURIComponent(settings.appid)}` +
    `&redirect_uri=${encodeURIComponent(callbackUrl)}&response_type=code&scope=snsapi_base` +
    `&state=${state}#wechat_redirect`
  );
}

/** Exchanges an OAuth `code` for the payer's openid under the app's appid. */
export async function exchangeOauthCode(
  settings: Pick<WechatpaySettings, 'appid' | 'app_secret' | 'sns_api_base_url'>,
  code: string,
  http: OutboundHttp,
): Promise<string> {
  if (!settings.app_secret) {
    throw new ChannelSettingsError(
      'app_secret',
      'the official account’s AppSecret is needed to find payers’ openids',
    );
  }
  if (!/^[0-9A-Za-z_-]{1,256}$/.test(code))
    throw new ChannelCallError('INVALID_CODE', 'the OAuth code is malformed', false);
  const query = new URLSearchParams({
    appid: settings.appid,
    secret: settings.app_secret,
    code,
    grant_type: 'authorization_code',
  });
  let response;
  try {
    response = await http({
      url: `${settings.sns_api_base_url}/sns/oauth2/access_token?${query.toString()}`,
      method: 'GET',
      headers: { accept: 'application/json' },
      timeoutMs: 10_000,
    });
  } catch {
    throw new ChannelCallError('NETWORK', 'WeChat OAuth: no answer from the token API', true);
  }
  if (response.status >= 500)
    throw new ChannelCallError('SYSTEM_ERROR', `WeChat OAuth: HTTP ${response.status}`, true);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    throw new ChannelCallError('BAD_ANSWER', 'WeChat OAuth: the answer is not JSON', true);
  }
  if (typeof body.errcode === 'number' && body.errcode !== 0) {
    // -1 is "system busy"; 40029/40163 are a bad or used code; 40125 a wrong AppSecret. The secret is never echoed.
    throw new ChannelCallError(
      `WX_OAUTH_${body.errcode}`,
      `WeChat OAuth: ${String(body.errmsg ?? 'error')}`,
      body.errcode === -1,
    );
  }
  if (typeof body.openid !== 'string' || body.openid === '') {
    throw new ChannelCallError('BAD_ANSWER', 'WeChat OAuth: the answer has no openid', false);
  }
  return body.openid;
}
