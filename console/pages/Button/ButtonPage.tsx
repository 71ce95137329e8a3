/**
 * The 秒支付 button page: the payer's menu (switches and order), save, then the script tag to copy; a live preview
 * of the menu beside it.
 */
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/client.ts';
import type { ButtonChannel, ConsoleApp } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { CopyButton } from '../../components/CopyButton/CopyButton.tsx';
import { LoadProblem } from '../../components/Notice/LoadProblem.tsx';
import { Notice } from '../../components/Notice/Notice.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { ButtonPreview } from './ButtonPreview.tsx';
import { ChannelList } from './ChannelList.tsx';
import { enabledCodes } from './channel-order.ts';
import { errorText } from '../../i18n/names.ts';

export function ButtonPage(props: { app: ConsoleApp }) {
  const { t } = useI18n();
  const { api, reloadApps } = useConsole();
  const appId = props.app.appId;
  const loaded = useLoad(() => api.button(appId), [appId]);
  const [channels, setChannels] = useState<ButtonChannel[]>([]);
  const [scriptTag, setScriptTag] = useState('');
  const [outcome, setOutcome] = useState<{ kind: 'success' | 'error'; text: string }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (loaded.data) {
      setChannels(loaded.data.channels);
      setScriptTag(loaded.data.scriptTag);
    }
  }, [loaded.data]);

  const save = async () => {
    setBusy(true);
    setOutcome(undefined);
    try {
      const answer = await api.saveButton(appId, enabledCodes(channels));
      setChannels(answer.channels);
      setScriptTag(answer.scriptTag);
      setOutcome({ kind: 'success', text: t('common.saved') });
      void reloadApps();
    } catch (caught) {
      setOutcome({
        kind: 'error',
        text: errorText(t, caught),
      });
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <h1>{t('button.title')}</h1>
      <LoadProblem loaded={loaded} />
      {loaded.data && (
        <div class="button-page">
          <section aria-labelledby="channels-heading">
            <h2 id="channels-heading">{t('button.channels')}</h2>
            <ChannelList channels={channels} onChange={setChannels} />
            <button type="button" class="primary" disabled={busy} onClick={() => void save()}>
              {t('common.save')}
            </button>
            {outcome && <Notice kind={outcome.kind}>{outcome.text}</Notice>}
            <h2 id="script-heading">{t('button.scriptTag')}</h2>
            <pre class="script-tag" aria-labelledby="script-heading">
              <code data-script-tag>{scriptTag}</code>
            </pre>
            <CopyButton text={scriptTag} label={`${t('common.copy')} ${t('button.scriptTag')}`} />
          </section>
          <ButtonPreview appId={appId} channels={enabledCodes(channels)} />
        </div>
      )}
    </>
  );
}
