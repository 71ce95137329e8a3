import { SuccessIcon, WarningIcon } from '../icons.tsx';

export interface StatusMessageProps {
  /** Working (spinner), paid, or a payment that stopped (an alert with one way out). */
  kind: 'progress' | 'success' | 'trouble';
  title: string;
  text?: string;
  /** The way out of a stopped payment: its button's label and what it does. */
  action?: { label: string; run(): void };
}

/**
 * One centred state of the dialog. A stopped payment says what happened (`title`) and what to do (`text`) as an
 * alert; the payer never sees a result code or an exception's text here (those go to the merchant).
 */
export function StatusMessage({ kind, title, text, action }: StatusMessageProps) {
  return (
    <div class="body">
      <div class="centered" role={kind === 'trouble' ? 'alert' : undefined}>
        {kind === 'progress' && <div class="spinner" aria-hidden="true" />}
        {kind === 'success' && <SuccessIcon />}
        {kind === 'trouble' && <WarningIcon />}
        <h3>{title}</h3>
        {text && <p class="muted">{text}</p>}
        {action && (
          <div class="actions">
            <button type="button" class="primary" data-autofocus onClick={action.run}>
              {action.label}
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
