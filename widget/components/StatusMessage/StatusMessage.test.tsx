import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StatusMessage } from './StatusMessage.tsx';

afterEach(cleanup);

describe('StatusMessage', () => {
  it('says what stopped the payment and what to do, as an alert, with one way out', () => {
    const run = vi.fn();
    render(
      <StatusMessage
        kind="trouble"
        title="网络连接失败"
        text="请检查网络后重试。"
        action={{ label: '重试', run }}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('网络连接失败');
    expect(alert).toHaveTextContent('请检查网络后重试。');
    expect(screen.getByRole('heading', { name: '网络连接失败' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(run).toHaveBeenCalledOnce();
  });

  it('shows work in progress and success without an alert or a button', () => {
    render(<StatusMessage kind="progress" title="正在创建订单…" />);
    expect(screen.getByRole('heading', { name: '正在创建订单…' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.queryByRole('button')).toBeNull();
  });
});
