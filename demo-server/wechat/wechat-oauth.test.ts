import { describe, expect, it } from 'vitest';
import { liveOAuthUrl, sandboxOAuthUrl } from './wechat-oauth.ts';

describe('where the demo sends a WeChat payer for an openid', () => {
  it('test mode: the gateway’s sandbox OAuth; live mode: the gateway’s WeChat OAuth for the app', () => {
    expect(sandboxOAuthUrl('http://gw.example', 'app-1', 'https://shop.example/', 's1')).toBe(
      'http://gw.example/sandbox/wx/oauth?appid=app-1&redirect_uri=https%3A%2F%2Fshop.example%2F&state=s1',
    );
    expect(liveOAuthUrl('https://gw.example', 'app-1', 'https://shop.example/?a=1', 's2')).toBe(
      'https://gw.example/wx/oauth/app-1?redirect_uri=https%3A%2F%2Fshop.example%2F%3Fa%3D1&state=s2',
    );
  });
});
