import '@testing-library/jest-dom/vitest';
import { fireEvent, screen } from '@testing-library/dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { el } from '../../ui/dom.ts';
import { modal } from './Modal.ts';

afterEach(() => document.body.replaceChildren());

function showModal(onClose = vi.fn()) {
  const dialog = modal({ title: '支付', closeLabel: '关闭', onClose });
  dialog.content.append(el('button', { type: 'button' }, 'first'), el('button', { type: 'button' }, 'last'));
  document.body.append(dialog.mask);
  dialog.focusFirst();
  return dialog;
}

describe('modal', () => {
  it('is a labelled modal dialog', () => {
    showModal();
    const dialog = screen.getByRole('dialog', { name: '支付' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
  });

  it('focuses the first control when it opens', () => {
    showModal();
    expect(screen.getByRole('button', { name: '关闭' })).toHaveFocus();
  });

  it('keeps Tab and Shift+Tab inside', () => {
    showModal();
    const dialog = screen.getByRole('dialog');
    screen.getByRole('button', { name: 'last' }).focus();
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(screen.getByRole('button', { name: '关闭' })).toHaveFocus();
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(screen.getByRole('button', { name: 'last' })).toHaveFocus();
  });

  it('closes on Esc, on the close button and on the mask, not on the panel', () => {
    const onClose = vi.fn();
    showModal(onClose);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    fireEvent.click(screen.getByRole('button', { name: '关闭' }));
    fireEvent.click(screen.getByRole('dialog'));
    expect(onClose).toHaveBeenCalledTimes(2);
    fireEvent.click(screen.getByRole('dialog').parentElement!);
    expect(onClose).toHaveBeenCalledTimes(3);
  });

  it('moves the focus into new content (data-autofocus first)', () => {
    const dialog = showModal();
    dialog.content.replaceChildren(
      el('button', { type: 'button' }, 'other'),
      el('button', { type: 'button', 'data-autofocus': true }, 'refresh'),
    );
    dialog.focusFirst();
    expect(screen.getByRole('button', { name: 'refresh' })).toHaveFocus();
  });
});
