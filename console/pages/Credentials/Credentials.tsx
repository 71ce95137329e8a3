/** The channel credentials of the current app: Alipay, WeChat Pay and UnionPay forms. */
import type { ConsoleApp, Family } from '../../api/types.ts';
import { useConsole } from '../../app/console-context.tsx';
import { LoadProblem } from '../../components/Notice/LoadProblem.tsx';
import { useLoad } from '../../hooks/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { CredentialForm } from './CredentialForm.tsx';

const families: Family[] = ['ALI', 'WX', 'UN'];

export function Credentials(props: { app: ConsoleApp }) {
  const { t } = useI18n();
  const { api } = useConsole();
  const loaded = useLoad(() => api.credentials(props.app.appId), [props.app.appId]);
  return (
    <>
      <h1>{t('credentials.title')}</h1>
      <LoadProblem loaded={loaded} />
      {loaded.data &&
        families.map((family) => (
          <CredentialForm
            key={family}
            appId={props.app.appId}
            family={family}
            credential={loaded.data!.credentials[family] ?? { configured: false, fieldsSet: [] }}
            onSaved={() => loaded.reload()}
          />
        ))}
    </>
  );
}
