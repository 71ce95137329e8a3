/**
 * The payer's menu as it will look, in a frame of the gateway's preview page (console/preview.html), which runs
 * the real widget with the channels being edited, as on a desktop, a phone or inside WeChat.
 */
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n.tsx';

export type PreviewEnvironment = 'desktop' | 'mobile' | 'wechat';

export function previewUrl(appId: string, channels: string[], environment: PreviewEnvironment): string {
  const query = new URLSearchParams({ appId, env: environment, channels: channels.join(',') });
  return `/console/preview.html?${query.toString()}`;
}

export function ButtonPreview(props: { appId: string; channels: string[] }) {
  const { t } = useI18n();
  const [environment, setEnvironment] = useState<PreviewEnvironment>('desktop');
  const names: Record<PreviewEnvironment, string> = {
    desktop: t('button.desktop'),
    mobile: t('button.phone'),
    wechat: t('button.wechat'),
  };
  return (
    <section aria-labelledby="preview-heading" class="preview">
      <h2 id="preview-heading">{t('button.preview')}</h2>
      <fieldset class="segmented">
        <legend class="visually-hidden">{t('button.preview')}</legend>
        {(Object.keys(names) as PreviewEnvironment[]).map((candidate) => (
          <label key={candidate}>
            <input
              type="radio"
              name="preview-environment"
              value={candidate}
              checked={environment === candidate}
              onChange={() => setEnvironment(candidate)}
            />
            {names[candidate]}
          </label>
        ))}
      </fieldset>
      <iframe
        class={`preview-frame preview-${environment}`}
        title={t('button.previewFrame', { environment: names[environment] })}
        src={previewUrl(props.appId, props.channels, environment)}
      />
    </section>
  );
}
