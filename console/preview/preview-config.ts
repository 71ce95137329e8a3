/**
 * What the button preview runs: the channels and the device to imitate, read from the preview page's query
 * (`?appId=&env=desktop|mobile|wechat&channels=ali,wxmp`), and the user agent the widget reads for that device.
 */
export type PreviewEnvironment = 'desktop' | 'mobile' | 'wechat';

export const previewUserAgents: Record<PreviewEnvironment, string | undefined> = {
  desktop: undefined,
  mobile:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
  wechat:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47',
};

export interface PreviewConfig {
  appId: string;
  environment: PreviewEnvironment;
  channels: string[];
}

export function readPreviewConfig(search: string): PreviewConfig {
  const query = new URLSearchParams(search);
  const env = query.get('env');
  const environment: PreviewEnvironment = env === 'mobile' || env === 'wechat' ? env : 'desktop';
  const channels = (query.get('channels') ?? '')
    .split(',')
    .map((code) => code.trim())
    .filter((code) => /^[a-z]{1,16}$/.test(code));
  return { appId: query.get('appId') ?? 'preview', environment, channels };
}
