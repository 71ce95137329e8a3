import '@testing-library/jest-dom/vitest';
import { fireEvent, screen } from '@testing-library/dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { statusMessage, type StatusMessageProps } from './StatusMessage.ts';

afterEach(() => document.body.replaceChildren());

function show(props: StatusMessageProps) {
  document.body.append(statusMessage(props));
}

describe('statusMessage', () => {
  it('says what stopped the payment and what to do, as an alert, with one way out', () => {
    const run = vi.fn();
    show({
      kind: 'trouble',
      title: '网络连接失败',
      text: '请检查网络后重试。',
      action: { label: '重试', run },
    });
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('网络连接失败');
    expect(alert).toHaveTextContent('请检查网络后重试。');
    expect(screen.getByRole('heading', { name: '网络连接失败' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(run).toHaveBeenCalledOnce();
  });

  it('shows work in progress and success without an alert or a button', () => {
    show({ kind: 'progress', title: '正在创建订单…' });
    expect(screen.getByRole('heading', { name: '正在创建订单…' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
