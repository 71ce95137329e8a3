import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorState } from './ErrorState.tsx';

afterEach(cleanup);

describe('ErrorState', () => {
  it('says what happened and what to do, as an alert, with one way out', () => {
    const onAction = vi.fn();
    render(
      <ErrorState title="网络连接失败" text="请检查网络后重试。" actionLabel="重试" onAction={onAction} />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('网络连接失败');
    expect(alert).toHaveTextContent('请检查网络后重试。');
    expect(screen.getByRole('heading', { name: '网络连接失败' })).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: '重试' }));
    expect(onAction).toHaveBeenCalledOnce();
  });
});
