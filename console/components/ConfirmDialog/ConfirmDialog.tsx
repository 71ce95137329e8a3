/**
 * A modal question with Confirm / Cancel, on the native <dialog> (focus trapped and restored, Escape cancels).
 */
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../../i18n/i18n.tsx';

export function ConfirmDialog(props: {
  open: boolean;
  title: string;
  message: string;
  onConfirm(): void;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (props.open && !element.open) {
      if (typeof element.showModal === 'function') element.showModal();
      else element.setAttribute('open', '');
    } else if (!props.open && element.open) {
      if (typeof element.close === 'function') element.close();
      else element.removeAttribute('open');
    }
  }, [props.open]);
  return (
    <dialog
      ref={dialog}
      class="confirm-dialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-message"
      onCancel={(event) => {
        event.preventDefault();
        props.onCancel();
      }}
    >
      <h2 id="confirm-title">{props.title}</h2>
      <p id="confirm-message">{props.message}</p>
      <div class="actions">
        <button type="button" onClick={() => props.onCancel()}>
          {t('common.cancel')}
        </button>
        <button type="button" class="primary" onClick={() => props.onConfirm()}>
          {t('common.confirm')}
        </button>
      </div>
    </dialog>
  );
}
