import { Component, createRef, type ComponentChildren } from 'preact';
import { CloseIcon } from '../icons.tsx';

export interface ModalProps {
  title: string;
  closeLabel: string;
  onClose(): void;
  /** Changes when the dialog's content is replaced: the focus moves to the new content. */
  focusKey?: string;
  children: ComponentChildren;
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
 * The dialog: a dimmed mask with a labelled panel (role=dialog, aria-modal). Tab and Shift+Tab stay inside,
 * Esc closes, and the first control (or the one marked data-autofocus) takes the focus when it opens or its
 * content changes. (Preact classes rather than hooks: the hooks only ship in the lazily loaded QR chunk.)
 */
export class Modal extends Component<ModalProps> {
  panel = createRef<HTMLDivElement>();

  override componentDidMount() {
    this.focusFirst();
  }

  override componentDidUpdate(previous: ModalProps) {
    if (previous.focusKey !== this.props.focusKey) this.focusFirst();
  }

  focusFirst() {
    const container = this.panel.current;
    if (!container) return;
    (
      container.querySelector<HTMLElement>('[data-autofocus]') ??
      focusableIn(container)[0] ??
      container
    ).focus();
  }

  onKeyDown = (event: KeyboardEvent) => {
    const container = this.panel.current;
    if (!container) return;
    if (event.key === 'Escape') {
      event.preventDefault();
      event.stopPropagation();
      this.props.onClose();
      return;
    }
    if (event.key !== 'Tab') return;
    const focusable = focusableIn(container);
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    // Inside a shadow root, the root (not document) knows which element has the focus.
    const active = (container.getRootNode() as Document | ShadowRoot).activeElement;
    const target = !first
      ? container
      : event.shiftKey
        ? active === first || active === container
          ? last
          : null
        : active === last
          ? first
          : null;
    if (target) {
      event.preventDefault();
      target.focus();
    }
  };

  onMaskClick = (event: MouseEvent) => {
    if (event.target === event.currentTarget) this.props.onClose();
  };

  render({ title, closeLabel, onClose, children }: ModalProps) {
    return (
      <div class="mask" onClick={this.onMaskClick}>
        <div
          ref={this.panel}
          class="panel"
          role="dialog"
          aria-modal="true"
          aria-labelledby="bc-dialog-title"
          tabIndex={-1}
          onKeyDown={this.onKeyDown}
        >
          <div class="header">
            <h2 id="bc-dialog-title">{title}</h2>
            <button type="button" class="icon-button" aria-label={closeLabel} onClick={onClose}>
              <CloseIcon />
            </button>
          </div>
          {children}
        </div>
      </div>
    );
  }
}
