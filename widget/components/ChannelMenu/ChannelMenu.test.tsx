import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { messagesFor } from '../../i18n.ts';
import { ChannelMenu } from './ChannelMenu.tsx';

afterEach(cleanup);

describe('ChannelMenu', () => {
  it("shows one row per channel in the app's order, the total and 确认", () => {
    render(
      <ChannelMenu
        channels={['ali', 'wxmp', 'un']}
        amount="0.01"
        messages={messagesFor('zh-CN')}
        onConfirm={() => {}}
      />,
    );
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
    const onConfirm = vi.fn();
    render(
      <ChannelMenu
        channels={['ali', 'wxmp']}
        amount="1.00"
        messages={messagesFor('zh-CN')}
        onConfirm={onConfirm}
      />,
    );
    expect(screen.getByRole('radio', { name: '支付宝支付' })).toBeChecked();
    fireEvent.click(screen.getByRole('button', { name: '确认' }));
    expect(onConfirm).toHaveBeenCalledWith('ali');
  });

  it('confirms the channel the payer picked by clicking its label', () => {
    const onConfirm = vi.fn();
    render(
      <ChannelMenu
        channels={['ali', 'wxmp', 'un']}
        amount="1.00"
        messages={messagesFor('zh-CN')}
        onConfirm={onConfirm}
      />,
    );
    fireEvent.click(screen.getByText('银联支付'));
    expect(screen.getByRole('radio', { name: '银联支付' })).toBeChecked();
    fireEvent.click(screen.getByRole('button', { name: '确认' }));
    expect(onConfirm).toHaveBeenCalledWith('un');
  });

  it('submits with Enter from the radio group (keyboard use)', () => {
    const onConfirm = vi.fn();
    render(
      <ChannelMenu
        channels={['ali', 'wxmp']}
        amount="1.00"
        messages={messagesFor('zh-CN')}
        onConfirm={onConfirm}
      />,
    );
    fireEvent.change(screen.getByRole('radio', { name: '微信支付' }), { target: { checked: true } });
    fireEvent.submit(screen.getByRole('radio', { name: '微信支付' }).closest('form')!);
    expect(onConfirm).toHaveBeenCalledWith('wxmp');
  });

  it('speaks English when asked', () => {
    render(
      <ChannelMenu
        channels={['ali', 'wxmp']}
        amount="0.01"
        messages={messagesFor('en')}
        onConfirm={() => {}}
      />,
    );
    expect(screen.getByRole('radio', { name: 'Alipay' })).toBeInTheDocument();
    expect(screen.getByText('Total: ¥0.01')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Confirm' })).toBeInTheDocument();
  });
});
