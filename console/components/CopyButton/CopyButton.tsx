/** Copies a text to the clipboard and says so (politely, for screen readers). */
import { useState } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n.tsx';

export function CopyButton(props: { text: string; label?: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  return (
    <span class="copy">
      <button
        type="button"
        onClick={async () => {
          await navigator.clipboard.writeText(props.text);
          setCopied(true);
        }}
      >
        {props.label ?? t('common.copy')}
      </button>
      <span role="status" class="copy-status">
        {copied ? t('common.copied') : ''}
      </span>
    </span>
  );
}
