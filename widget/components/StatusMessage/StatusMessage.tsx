import type { ComponentChildren } from 'preact';
import { WarningIcon } from '../icons.tsx';

export interface StatusMessageProps {
  /**
   * Working (spinner), a payment that stopped (an alert with one way out), or another state with its `icon` (paid:
   * the success mark, which ships in the lazy chunk with the paid state).
   */
  kind?: 'progress' | 'trouble';
  icon?: ComponentChildren;
  title: string;
  text?: string;
  /** The way out of a stopped payment: its button's label and what it does. */
  action?: { label: string; run(): void };
}

/**
 * One centred state of the dialog. A stopped payment says what happened (`title`) and what to do (`text`) as an
 * alert; the payer never sees a result code or an exception's text here (those go to the merchant).
 */
export function StatusMessage({ kind, icon, title, text, action }: StatusMessageProps) {
  return (
    <div class="body">
      <div class="centered" role={kind === 'trouble' ? 'alert' : undefined}>
        {kind === 'progress' && <div class="spinner" aria-hidden="true" />}
        {kind === 'trouble' && <WarningIcon />}
        {icon}
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
