import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ErrorState } from './ErrorState.tsx';

afterEach(cleanup);

describe('ErrorState', () => {
  it('says why, with the message naming the field and the code, as an alert', () => {
    const onAction = vi.fn();
    render(
      <ErrorState
        title="无法发起支付"
        error={{ code: 'APP_INVALID', field: 'sign', message: 'sign: does not match' }}
        actionLabel="关闭"
        onAction={onAction}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert).toHaveTextContent('无法发起支付');
    expect(alert).toHaveTextContent('sign: does not match');
    expect(alert).toHaveTextContent('APP_INVALID');
    fireEvent.click(screen.getByRole('button', { name: '关闭' }));
    expect(onAction).toHaveBeenCalledOnce();
  });
});
