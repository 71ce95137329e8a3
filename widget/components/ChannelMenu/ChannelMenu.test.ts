import '@testing-library/jest-dom/vitest';
import { fireEvent, screen } from '@testing-library/dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChannelCode } from '../../channels.ts';
import { messagesFor, type Locale } from '../../i18n.ts';
import { channelMenu } from './ChannelMenu.ts';

afterEach(() => document.body.replaceChildren());

function showMenu(channels: ChannelCode[], amount: string, onConfirm = vi.fn(), locale: Locale = 'zh-CN') {
  const menu = channelMenu({ channels, amount, messages: messagesFor(locale), onConfirm });
  document.body.append(menu.form);
  return { menu, onConfirm };
}

describe('channelMenu', () => {
  it("shows one row per channel in the app's order, the total and 确认", () => {
    showMenu(['ali', 'wxmp', 'un'], '0.01');
    const radios = screen.getAllByRole('radio');
    expect(radios.map((radio) => radio.closest('label')!.querySelector('.row-label')!.textContent)).toEqual([
      '支付宝支付',
      '微信支付',
      '银联支付',
    ]);
    expect(screen.getByText('合计：¥0.01')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '确认' })).toBeEnabled();
    expect(screen.getByRole('group', { name: '支付方式' })).toBeInTheDocument();
  });

  it('chooses the first channel at the start and confirms it', () => {
    const { onConfirm } = showMenu(['ali', 'wxmp'], '1.00');
    expect(screen.getByRole('radio', { name: '支付宝支付' })).toBeChecked();
    fireEvent.click(screen.getByRole('button', { name: '确认' }));
    expect(onConfirm).toHaveBeenCalledWith('ali');
  });

  it('confirms the channel the payer picked by clicking its label', () => {
    const { onConfirm } = showMenu(['ali', 'wxmp', 'un'], '1.00');
    fireEvent.click(screen.getByText('银联支付'));
    expect(screen.getByRole('radio', { name: '银联支付' })).toBeChecked();
    expect(screen.getByRole('radio', { name: '支付宝支付' })).not.toBeChecked();
    fireEvent.click(screen.getByRole('button', { name: '确认' }));
    expect(onConfirm).toHaveBeenCalledWith('un');
  });

  it('submits with Enter from the radio group (keyboard use)', () => {
    const { onConfirm } = showMenu(['ali', 'wxmp'], '1.00');
    fireEvent.change(screen.getByRole('radio', { name: '微信支付' }), { target: { checked: true } });
    fireEvent.submit(screen.getByRole('radio', { name: '微信支付' }).closest('form')!);
    expect(onConfirm).toHaveBeenCalledWith('wxmp');
  });

  it('shows a new total with its note (a coupon taken off)', () => {
    const { menu } = showMenu(['ali'], '50.00');
    menu.total('45.00', '(已优惠¥5.00)');
    expect(screen.getByText(/合计：¥45\.00/)).toHaveTextContent('合计：¥45.00 (已优惠¥5.00)');
    expect(screen.queryByText('合计：¥50.00')).toBeNull();
  });

  it('speaks English when asked', () => {
    showMenu(['ali', 'wxmp'], '0.01', vi.fn(), 'en');
    expect(screen.getByRole('radio', { name: 'Alipay' })).toBeInTheDocument();
    expect(screen.getByText('Total: ¥0.01')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Confirm' })).toBeInTheDocument();
  });
});
