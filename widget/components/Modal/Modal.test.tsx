import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Modal } from './Modal.tsx';

afterEach(cleanup);

function renderModal(onClose = vi.fn(), focusKey = 'a') {
  return render(
    <Modal title="支付" closeLabel="关闭" onClose={onClose} focusKey={focusKey}>
      <button type="button">first</button>
      <button type="button">last</button>
    </Modal>,
  );
}

describe('Modal', () => {
  it('is a labelled modal dialog', () => {
    renderModal();
    const dialog = screen.getByRole('dialog', { name: '支付' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
  });

  it('focuses the first control when it opens', () => {
    renderModal();
    expect(screen.getByRole('button', { name: '关闭' })).toHaveFocus();
  });

  it('keeps Tab and Shift+Tab inside', () => {
    renderModal();
    const dialog = screen.getByRole('dialog');
    screen.getByRole('button', { name: 'last' }).focus();
    fireEvent.keyDown(dialog, { key: 'Tab' });
    expect(screen.getByRole('button', { name: '关闭' })).toHaveFocus();
    fireEvent.keyDown(dialog, { key: 'Tab', shiftKey: true });
    expect(screen.getByRole('button', { name: 'last' })).toHaveFocus();
  });

  it('closes on Esc, on the close button and on the mask, not on the panel', () => {
    const onClose = vi.fn();
    renderModal(onClose);
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    fireEvent.click(screen.getByRole('button', { name: '关闭' }));
    fireEvent.click(screen.getByRole('dialog'));
    expect(onClose).toHaveBeenCalledTimes(2);
    fireEvent.click(screen.getByRole('dialog').parentElement!);
    expect(onClose).toHaveBeenCalledTimes(3);
  });

  it('moves the focus into new content (data-autofocus first)', () => {
    const { rerender } = renderModal();
    rerender(
      <Modal title="支付" closeLabel="关闭" onClose={() => {}} focusKey="b">
        <button type="button">other</button>
        <button type="button" data-autofocus>
          refresh
        </button>
      </Modal>,
    );
    expect(screen.getByRole('button', { name: 'refresh' })).toHaveFocus();
  });
});
