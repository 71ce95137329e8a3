import { closeIcon } from '../icons.ts';
import { el } from '../../ui/dom.ts';

export interface ModalProps {
  title: string;
  closeLabel: string;
  onClose(): void;
}

export interface Modal {
  /** The dimmed mask holding the panel: what to attach. */
  mask: HTMLElement;
  panel: HTMLElement;
  /** Where the dialog's content goes (it takes part in the panel's layout as if it were the panel). */
  content: HTMLElement;
  /** Moves the focus to the control marked data-autofocus, else the first control, else the panel. */
  focusFirst(): void;
}

/** The dialog's content only has buttons and inputs. */
const FOCUSABLE = 'button:not([disabled]),input:not([disabled])';

export function focusableIn(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(FOCUSABLE)).filter(
    // In a radio group only the checked radio takes part in the Tab order.
    (element) => !(element instanceof HTMLInputElement && element.type === 'radio' && !element.checked),
  );
}

/**
 * The dialog, in plain DOM (the first script shows it without Preact): a dimmed mask with a labelled panel
 * (role=dialog, aria-modal). Tab and Shift+Tab stay inside, Esc closes, a click on the mask closes; the caller
 * moves the focus in (`focusFirst`) when it opens or its content changes.
 */
export function modal({ title, closeLabel, onClose }: ModalProps, ...after: Node[]): Modal {
  const content = el('div', { class: 'content' });
  const panel = el(
    'div',
    {
      class: 'panel',
      role: 'dialog',
      'aria-modal': 'true',
      'aria-labelledby': 'bc-dialog-title',
      tabindex: -1,
      onkeydown(event: KeyboardEvent) {
        if (event.key === 'Escape') {
          event.preventDefault();
          event.stopPropagation();
          return onClose();
        }
        if (event.key !== 'Tab') return;
        const focusable = focusableIn(panel);
        const first = focusable[0];
        const last = focusable[focusable.length - 1];
        // Inside a shadow root, the root (not document) knows which element has the focus.
        const active = (panel.getRootNode() as Document | ShadowRoot).activeElement;
        const target = !first
          ? panel
          : event.shiftKey
            ? active === first || active === panel
              ? last
              : null
            : active === last
              ? first
              : null;
        if (target) {
          event.preventDefault();
          target.focus();
        }
      },
    },
    el(
      'div',
      { class: 'header' },
      el('h2', { id: 'bc-dialog-title' }, title),
      el(
        'button',
        { type: 'button', class: 'icon-button', 'aria-label': closeLabel, onclick: onClose },
        closeIcon(),
      ),
    ),
    content,
    ...after,
  );
  const mask = el(
    'div',
    { class: 'mask', onclick: (event: MouseEvent) => event.target === mask && onClose() },
    panel,
  );
  return {
    mask,
    panel,
    content,
    focusFirst: () =>
      (panel.querySelector<HTMLElement>('[data-autofocus]') ?? focusableIn(panel)[0] ?? panel).focus(),
  };
}
