import { warningIcon } from '../icons.ts';
import { el } from '../../ui/dom.ts';

export interface StatusMessageProps {
  /**
   * Working (spinner), a payment that stopped (an alert with one way out), or another state with its `icon` (paid:
   * the success mark, which ships in the lazy chunk with the paid state).
   */
  kind?: 'progress' | 'trouble';
  icon?: Node;
  title: string;
  text?: string;
  /** The way out of a stopped payment: its button's label and what it does. */
  action?: { label: string; run(): void };
}

/**
 * One centred state of the dialog (plain DOM: the first script shows it without Preact). A stopped payment says
 * what happened (`title`) and what to do (`text`) as an alert; the payer never sees a result code or an
 * exception's text here (those go to the merchant).
 */
export function statusMessage({ kind, icon, title, text, action }: StatusMessageProps): HTMLElement {
  return el(
    'div',
    { class: 'body' },
    el(
      'div',
      { class: 'centered', role: kind === 'trouble' && 'alert' },
      kind === 'progress' && el('div', { class: 'spinner', 'aria-hidden': 'true' }),
      kind === 'trouble' && warningIcon(),
      icon,
      el('h3', {}, title),
      text && el('p', { class: 'muted' }, text),
      action &&
        el(
          'div',
          { class: 'actions' },
          el(
            'button',
            { type: 'button', class: 'primary', 'data-autofocus': true, onclick: action.run },
            action.label,
          ),
        ),
    ),
  );
}
