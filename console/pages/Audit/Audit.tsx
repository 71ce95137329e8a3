/** The audit log: who changed what and when, newest first, paged; optionally for the current app only. */
import { useState } from 'preact/hooks';
import { useConsole } from '../../app/console-context.tsx';
import { DateTime } from '../../components/DateTime/DateTime.tsx';
import { LoadProblem } from '../../components/Notice/LoadProblem.tsx';
import { Pager } from '../../components/Pager/Pager.tsx';
import { useCursorPages } from '../../components/Pager/use-cursor-pages.ts';
import { useLoad } from '../../hooks/use-load.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { TableScroll } from '../../components/TableScroll/TableScroll.tsx';
import { auditActionName } from '../../i18n/names.ts';

export function Audit() {
  const { t } = useI18n();
  const { api, app } = useConsole();
  const [thisAppOnly, setThisAppOnly] = useState(false);
  const pages = useCursorPages();
  const appId = thisAppOnly ? app?.appId : undefined;
  const loaded = useLoad(() => api.audit({ appId, limit: 50, cursor: pages.cursor }), [appId, pages.cursor]);
  return (
    <>
      <h1>{t('audit.title')}</h1>
      {app && (
        <label class="check">
          <input
            type="checkbox"
            checked={thisAppOnly}
            onChange={(event) => {
              pages.reset();
              setThisAppOnly(event.currentTarget.checked);
            }}
          />
          {t('audit.thisApp', { name: app.name })}
        </label>
      )}
      <LoadProblem loaded={loaded} />
      {loaded.data && (
        <TableScroll label={t('audit.title')}>
          <table>
            <thead>
              <tr>
                <th scope="col">{t('audit.when')}</th>
                <th scope="col">{t('audit.who')}</th>
                <th scope="col">{t('audit.action')}</th>
                <th scope="col">{t('nav.app')}</th>
                <th scope="col">{t('audit.details')}</th>
              </tr>
            </thead>
            <tbody>
              {loaded.data.entries.length === 0 && (
                <tr>
                  <td colSpan={5}>{t('common.none')}</td>
                </tr>
              )}
              {loaded.data.entries.map((entry) => (
                <tr key={entry.id} data-action={entry.action}>
                  <td>
                    <DateTime at={entry.at} />
                  </td>
                  <td>{entry.operator}</td>
                  <td>
                    {auditActionName(t, entry.action)} <code>{entry.action}</code>
                  </td>
                  <td>{entry.appId ?? '—'}</td>
                  <td>
                    <code class="excerpt">
                      {entry.detail === null || entry.detail === undefined
                        ? ''
                        : JSON.stringify(entry.detail)}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <Pager pages={pages} nextCursor={loaded.data?.nextCursor} label={t('audit.title')} />
    </>
  );
}
