import type { ComponentChildren } from 'preact';
import { SuccessIcon, WarningIcon } from '../icons.tsx';

export interface StatusMessageProps {
  kind: 'progress' | 'success' | 'expired';
  title: string;
  text?: string;
  children?: ComponentChildren;
}

/** One centred state of the dialog: working (spinner), paid, or expired (with its action as children). */
export function StatusMessage({ kind, title, text, children }: StatusMessageProps) {
  return (
    <div class="body">
      <div class="centered">
        {kind === 'progress' && <div class="spinner" aria-hidden="true" />}
        {kind === 'success' && <SuccessIcon />}
        {kind === 'expired' && <WarningIcon />}
        <h3>{title}</h3>
        {text && <p class="muted">{text}</p>}
        {children}
      </div>
    </div>
  );
}
