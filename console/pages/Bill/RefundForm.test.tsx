import '@testing-library/jest-dom/vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiClient } from '../../api/client.ts';
import { consoleApi } from '../../api/console-api.ts';
import type { ConsoleBill, Session } from '../../api/types.ts';
import { ConsoleProvider } from '../../app/console-context.tsx';
import { I18nProvider } from '../../i18n/i18n.tsx';
import { RefundForm } from './RefundForm.tsx';

const bill: ConsoleBill = {
  id: 'b1',
  billNo: 'order1',
  mode: 'test',
  channel: 'ALI',
  subChannel: 'ALI_WEB',
  title: 'tea',
  totalFee: 500,
  status: 'paid',
  tradeNo: 't1',
  createTime: 0,
  paidTime: 1,
  closedTime: null,
  refundedFee: 150,
};
const session: Session = { operator: { name: 'alice' }, csrfToken: 'tok', idleExpiresAt: 0, expiresAt: 0 };

/** A console over a server that answers refunds with `answer` (and apps with none). */
function renderForm(answer: { status: number; body: unknown }) {
  const requests: { url: string; body: unknown; csrf?: string }[] = [];
  const client = new ApiClient({
    fetch: async (url, init = {}) => {
      if (url.endsWith('/apps')) return new Response(JSON.stringify({ apps: [] }), { status: 200 });
      requests.push({
        url,
        body: JSON.parse(String(init.body)),
        csrf: (init.headers as Record<string, string>)['x-csrf-token'],
      });
      return new Response(JSON.stringify(answer.body), { status: answer.status });
    },
  });
  client.setCsrfToken('tok');
  const refunded: string[] = [];
  render(
    <I18nProvider initial="en">
      <ConsoleProvider api={consoleApi(client)} session={session} onSignedOut={() => {}}>
        <RefundForm appId="app1" bill={bill} onRefunded={(refund) => refunded.push(refund.refundNo)} />
      </ConsoleProvider>
    </I18nProvider>,
  );
  return { requests, refunded };
}

afterEach(cleanup);

describe('RefundForm', () => {
  it('offers what is left and sends the amount as fen with the CSRF token', async () => {
    const { requests, refunded } = renderForm({ status: 201, body: { refund: { refundNo: '20261202abc' } } });
    const amount = screen.getByLabelText('Refund amount (yuan)');
    expect(amount).toHaveValue('3.50');
    fireEvent.input(amount, { target: { value: '1.2' } });
    fireEvent.click(screen.getByRole('button', { name: 'Refund' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent('Refund 20261202abc requested.'),
    );
    expect(requests).toEqual([
      { url: '/console/api/apps/app1/bills/b1/refunds', body: { refundFee: 120 }, csrf: 'tok' },
    ]);
    expect(refunded).toEqual(['20261202abc']);
  });

  it('refuses an amount that is not yuan before asking the server', () => {
    const { requests } = renderForm({ status: 500, body: {} });
    fireEvent.input(screen.getByLabelText('Refund amount (yuan)'), { target: { value: '1.234' } });
    fireEvent.click(screen.getByRole('button', { name: 'Refund' }));
    expect(screen.getByLabelText('Refund amount (yuan)')).toHaveAttribute('aria-invalid', 'true');
    expect(requests).toEqual([]);
  });

  it('shows the server’s refusal at the field it names', async () => {
    renderForm({
      status: 400,
      body: { error: { code: 'invalid', message: 'at most 350 fen is left to refund', field: 'refundFee' } },
    });
    fireEvent.input(screen.getByLabelText('Refund amount (yuan)'), { target: { value: '4' } });
    fireEvent.click(screen.getByRole('button', { name: 'Refund' }));
    await waitFor(() =>
      expect(screen.getByLabelText('Refund amount (yuan)')).toHaveAccessibleDescription(
        'at most 350 fen is left to refund',
      ),
    );
  });
});
