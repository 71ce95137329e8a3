import { describe, expect, it } from 'vitest';
import { readPreviewConfig } from './preview-config.ts';

describe('readPreviewConfig', () => {
  it('reads the app, the device and the channels in order', () => {
    expect(readPreviewConfig('?appId=a1&env=wechat&channels=wx,ali,un')).toEqual({
      appId: 'a1',
      environment: 'wechat',
      channels: ['wx', 'ali', 'un'],
    });
  });
  it('falls back to desktop and drops codes that are not channel codes', () => {
    expect(readPreviewConfig('?env=tv&channels=ali,%3Cscript%3E,,wxmp')).toEqual({
      appId: 'preview',
      environment: 'desktop',
      channels: ['ali', 'wxmp'],
    });
  });
});
