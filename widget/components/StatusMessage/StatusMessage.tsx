import { SuccessIcon } from '../icons.tsx';

export interface StatusMessageProps {
  kind: 'progress' | 'success';
  title: string;
  text?: string;
}

/** One centred state of the dialog: working (spinner) or paid. */
export function StatusMessage({ kind, title, text }: StatusMessageProps) {
  return (
    <div class="body">
      <div class="centered">
        {kind === 'progress' && <div class="spinner" aria-hidden="true" />}
        {kind === 'success' && <SuccessIcon />}
        <h3>{title}</h3>
        {text && <p class="muted">{text}</p>}
      </div>
    </div>
  );
}
