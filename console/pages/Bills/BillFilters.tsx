/** The bills filter form: bill number, channel, status, time range and mode; applied on submit. */
import { useState } from 'preact/hooks';
import type { BillFilters as Filters } from '../../api/console-api.ts';
import type { Mode } from '../../api/types.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { channelName, familyName } from '../../i18n/names.ts';

const channels = [
  'ALI',
  'WX',
  'UN',
  'ALI_WEB',
  'ALI_WAP',
  'ALI_QRCODE',
  'WX_NATIVE',
  'WX_JSAPI',
  'WX_WAP',
  'UN_WEB',
  'UN_WAP',
];
const statuses = ['open', 'paid', 'closed', 'expired'] as const;

/** `<input type="datetime-local">` text (local time) → ms, or undefined when empty. */
function localTime(text: string): number | undefined {
  if (!text) return undefined;
  const at = new Date(text).getTime();
  return Number.isNaN(at) ? undefined : at;
}

export function BillFilters(props: { mode: Mode; onApply(filters: Filters): void }) {
  const { t } = useI18n();
  const [billNo, setBillNo] = useState('');
  const [channel, setChannel] = useState('');
  const [status, setStatus] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [mode, setMode] = useState<Mode>(props.mode);
  const names: Record<(typeof statuses)[number], string> = {
    open: t('bills.status.unpaid'),
    paid: t('bills.status.paid'),
    closed: t('bills.status.closed'),
    expired: t('status.expired'),
  };
  const apply = (event: Event) => {
    event.preventDefault();
    props.onApply({
      billNo: billNo.trim() || undefined,
      channel: channel || undefined,
      status: status || undefined,
      from: localTime(from),
      to: localTime(to),
      mode,
    });
  };
  return (
    <form class="filters" onSubmit={apply} role="search" aria-label={t('bills.title')}>
      <label>
        {t('bills.billNo')}
        <input value={billNo} onInput={(event) => setBillNo(event.currentTarget.value)} />
      </label>
      <label>
        {t('bills.channel')}
        <select value={channel} onChange={(event) => setChannel(event.currentTarget.value)}>
          <option value="">{t('common.all')}</option>
          {channels.map((code) => (
            <option key={code} value={code}>
              {code.includes('_') ? channelName(t, code) : familyName(t, code)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('bills.status')}
        <select value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
          <option value="">{t('bills.status.all')}</option>
          {statuses.map((code) => (
            <option key={code} value={code}>
              {names[code]}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('bills.from')}
        <input type="datetime-local" value={from} onInput={(event) => setFrom(event.currentTarget.value)} />
      </label>
      <label>
        {t('bills.to')}
        <input type="datetime-local" value={to} onInput={(event) => setTo(event.currentTarget.value)} />
      </label>
      <label>
        {t('apps.mode')}
        <select value={mode} onChange={(event) => setMode(event.currentTarget.value as Mode)}>
          <option value="test">{t('common.test')}</option>
          <option value="live">{t('common.live')}</option>
        </select>
      </label>
      <button type="submit" class="primary">
        {t('common.search')}
      </button>
    </form>
  );
}
