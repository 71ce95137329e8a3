import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateMerchantCredentials,
  startWechatpaySimulator,
  type MerchantCredentials,
  type WechatpaySimulator,
} from '../../../simulators/wechatpay/index.ts';
import { ChannelSettingsError } from '../channel.ts';
import { plainHttpClient } from '../testing/plain-http.ts';
import { exchangeOauthCode, oauthAuthorizeUrl } from './wechat-oauth.ts';

let sim: WechatpaySimulator;
let credentials: MerchantCredentials;

beforeAll(async () => {
  sim = await startWechatpaySimulator();
  credentials = sim.registerMerchant({
    mchid: '1900000301',
    appid: 'wx0301030103010301',
    merchant_certificate: generateMerchantCredentials('1900000301').certificatePem,
  });
});
afterAll(() => sim.close());

function location(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      res.resume();
      resolve(res.headers.location ?? '');
    })
      .on('error', reject)
      .end();
  });
}

describe('WeChat OAuth (snsapi_base)', () => {
  const settings = () => ({
    appid: 'wx0301030103010301',
    app_secret: credentials.app_secret,
    oauth_base_url: sim.url,
    sns_api_base_url: sim.url,
  });

  it('builds the authorize URL in WeChat’s parameter order, ending in #wechat_redirect', () => {
    expect(
      oauthAuthorizeUrl(
        { appid: 'wx8888888888888888', oauth_base_url: 'https://open.weixin.qq.com' },
        'https://pay.example/wx/oauth/callback?app=1',
        'abc_123',
      ),
    ).toBe(
      'https://open.weixin.qq.com/connect/oauth2/authorize?appid=wx8888888888888888' +
        '&redirect_uri=https%3A%2F%2Fpay.example%2Fwx%2Foauth%2Fcallback%3Fapp%3D1' +
        '&response_type=code&scope=snsapi_base&state=abc_123#wechat_redirect',
    );
    expect(() => oauthAuthorizeUrl(settings(), 'https://x', 'a&b')).toThrow('state');
  });

  it('authorize → code → openid, against the simulator; a code works once', async () => {
    const back = new URL(await location(oauthAuthorizeUrl(settings(), 'https://pay.example/cb', 's1')));
    expect(back.searchParams.get('state')).toBe('s1');
    const code = back.searchParams.get('code')!;
    expect(await exchangeOauthCode(settings(), code, plainHttpClient())).toBe(credentials.payer_openid);
    await expect(exchangeOauthCode(settings(), code, plainHttpClient())).rejects.toMatchObject({
      code: 'WX_OAUTH_40029',
      retryable: false,
    });
  });

  it('a wrong AppSecret is WeChat’s 40125 (and the secret is not in the message); none is a settings error', async () => {
    const back = new URL(await location(oauthAuthorizeUrl(settings(), 'https://pay.example/cb', 's')));
    const error = await exchangeOauthCode(
      { ...settings(), app_secret: 'not-the-secret' },
      back.searchParams.get('code')!,
      plainHttpClient(),
    ).then(
      () => new Error('accepted'),
      (e: unknown) => e as Error,
    );
    expect(error).toMatchObject({ code: 'WX_OAUTH_40125' });
    expect(error.message).not.toContain('not-the-secret');
    await expect(
      exchangeOauthCode({ ...settings(), app_secret: null }, 'c', plainHttpClient()),
    ).rejects.toBeInstanceOf(ChannelSettingsError);
    await expect(exchangeOauthCode(settings(), 'bad code!', plainHttpClient())).rejects.toMatchObject({
      code: 'INVALID_CODE',
    });
  });
});
