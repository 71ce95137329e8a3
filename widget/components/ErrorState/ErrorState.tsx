import { WarningIcon } from '../icons.tsx';

export interface ErrorStateProps {
  /** What happened, in the payer's words. */
  title: string;
  /** What to do about it. */
  text: string;
  actionLabel: string;
  onAction(): void;
}

/**
 * A payment that stopped: what happened and what to do, with one way out. The payer never sees a result code or
 * an exception's text here; the merchant gets those (dataError, the `failed` event, the console).
 */
export function ErrorState({ title, text, actionLabel, onAction }: ErrorStateProps) {
  return (
    <div class="body">
      <div class="centered" role="alert">
        <WarningIcon />
        <h3>{title}</h3>
        <p class="muted">{text}</p>
        <div class="actions">
          <button type="button" class="primary" data-autofocus onClick={onAction}>
            {actionLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
