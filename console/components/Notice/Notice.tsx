/** A message to the operator: errors interrupt (role=alert), confirmations are polite (role=status). */
import type { ComponentChildren } from 'preact';

export function Notice(props: { kind: 'error' | 'success' | 'info'; children: ComponentChildren }) {
  return (
    <p class={`notice notice-${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.children}
    </p>
  );
}
