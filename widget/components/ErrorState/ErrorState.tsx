import type { DataError } from '../../types.ts';
import { WarningIcon } from '../icons.tsx';

export interface ErrorStateProps {
  title: string;
  error: DataError;
  actionLabel: string;
  onAction(): void;
}

/** Why the payment could not start, with the code and the message naming the field, and one way out. */
export function ErrorState({ title, error, actionLabel, onAction }: ErrorStateProps) {
  return (
    <div class="body">
      <div class="centered" role="alert">
        <WarningIcon />
        <h3>{title}</h3>
        <p class="error-detail">{error.message}</p>
        <p class="error-detail">{error.code}</p>
        <div class="actions">
          <button type="button" class="primary" data-autofocus onClick={onAction}>
            {actionLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
