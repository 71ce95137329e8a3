import { describe, expect, it } from 'vitest';
import { payChannelFields } from './pay-answer.ts';

const redirect = {
  action: 'redirect' as const,
  url: 'http://gw.example/sandbox/cashier/b1',
  method: 'GET' as const,
  param: { token: 'a"b<c' },
};

describe('pay answers by channel', () => {
  it('gives WX_NATIVE its code_url', () => {
    expect(payChannelFields('WX_NATIVE', { action: 'qr', codeUrl: 'weixin://x' })).toEqual({
      code_url: 'weixin://x',
    });
  });

  it('gives WX_JSAPI the getBrandWCPayRequest parameters under BeeCloud names', () => {
    const fields = payChannelFields('WX_JSAPI', {
      action: 'jsapi',
      params: {
        appId: 'wx1',
        timeStamp: '1',
        nonceStr: 'n',
        package: 'prepay_id=p',
        signType: 'MD5',
        paySign: 'S',
      },
    });
    expect(fields).toEqual({
      app_id: 'wx1',
      timestamp: '1',
      nonce_str: 'n',
      package: 'prepay_id=p',
      sign_type: 'MD5',
      pay_sign: 'S',
    });
  });

  it('gives ALI_* a self-submitting form and the URL, with parameters escaped', () => {
    const fields = payChannelFields('ALI_WEB', redirect);
    expect(fields.url).toBe('http://gw.example/sandbox/cashier/b1?token=a%22b%3Cc');
    expect(fields.html).toContain('action="http://gw.example/sandbox/cashier/b1"');
    expect(fields.html).toContain('value="a&quot;b&lt;c"');
    expect(fields.html).toContain('.submit()');
  });

  it('gives UN_* only the form and WX_WAP only the URL', () => {
    expect(Object.keys(payChannelFields('UN_WEB', redirect))).toEqual(['html']);
    expect(Object.keys(payChannelFields('WX_WAP', redirect))).toEqual(['url']);
  });
});
