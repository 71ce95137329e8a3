import '@testing-library/jest-dom/vitest';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StatusSource } from '../../hooks/watchBillStatus.ts';
import type { PublicBill } from '../../types.ts';
import { readDrawnQr } from '../../testing/read-drawn-qr.ts';
import { QrPanel } from './QrPanel.tsx';

afterEach(cleanup);

const NOW = 1_700_000_000_000;
const HOUR = 3_600_000;

function bill(overrides: Partial<PublicBill>): PublicBill {
  return {
    id: 'bill1',
    bill_no: 'bc1234567',
    title: 't',
    total_fee: 250,
    channel: 'WX',
    sub_channel: 'WX_NATIVE',
    spay_result: false,
    status: 'open',
    create_time: NOW,
    trade_no: '',
    expires_at: NOW + 2 * HOUR,
    ...overrides,
  };
}

/** The gateway's public status, answered from a value the test sets. */
function statusSource(current: () => PublicBill): StatusSource {
  return {
    billStatus: async () => current(),
    statusStreamUrl: (id) => `http://gateway.test/2/rest/bill_public/${id}/events`,
  };
}

describe('QrPanel', () => {
  beforeEach(() => vi.useFakeTimers({ now: NOW }));
  afterEach(() => vi.useRealTimers());

  function renderPanel(
    gatewayBill: () => PublicBill,
    expiresAt = NOW + 2 * HOUR,
    onStatus = vi.fn(),
    codeUrl = 'http://gateway.test/sandbox/wx/scan/bill1',
  ) {
    render(
      <QrPanel
        billId="bill1"
        codeUrl={codeUrl}
        amount="2.50"
        expiresAt={expiresAt}
        locale="zh-CN"
        source={statusSource(gatewayBill)}
        openStream={null}
        onStatus={onStatus}
        onExpire={() => {}}
        announce={() => {}}
      />,
    );
    return onStatus;
  }

  it('draws the code, the amount, the instruction and the time left', async () => {
    renderPanel(() => bill({}));
    const image = screen.getByRole('img', { name: '微信付款二维码' });
    expect(image.querySelector('path')!.getAttribute('d')!.length).toBeGreaterThan(100);
    expect(screen.getByRole('heading', { name: '微信扫码付款' })).toBeInTheDocument();
    expect(screen.getByText('¥2.50')).toBeInTheDocument();
    expect(screen.getByText('请使用微信扫码付款')).toBeInTheDocument();
    expect(screen.getByRole('timer')).toHaveTextContent('剩余 120:00');
  });

  it.each([
    'http://gateway.test/sandbox/wx/scan/bill1',
    'weixin://wxpay/bizpayurl?pr=Ab3dEf9',
    'https://qr.alipay.com/bax03431ljhokirwl38f00a7',
    `https://gateway.example/sandbox/wx/scan/${'0123456789abcdef'.repeat(4)}?lang=zh-CN&t=${NOW}`,
  ])('draws a code that reads back exactly as %s', (codeUrl) => {
    renderPanel(() => bill({}), NOW + 2 * HOUR, vi.fn(), codeUrl);
    const image = screen.getByRole('img', { name: '微信付款二维码' });
    expect(readDrawnQr(image as unknown as SVGSVGElement)).toBe(codeUrl);
  });

  it('hands every status to onStatus', async () => {
    let current = bill({});
    const onStatus = renderPanel(() => current);
    await act(async () => void (await vi.advanceTimersByTimeAsync(0)));
    current = bill({ status: 'paid', spay_result: true });
    await act(async () => void (await vi.advanceTimersByTimeAsync(2000)));
    expect(onStatus.mock.calls.map(([value]) => value.status)).toEqual(['open', 'paid']);
  });

  it("counts from the gateway's bill lifetime when this browser's clock is 30 minutes behind", async () => {
    // The gateway's clock says the bill was created at NOW + 30 min; this browser thinks it is NOW.
    const skewed = bill({ create_time: NOW + 30 * 60_000, expires_at: NOW + 30 * 60_000 + 2 * HOUR });
    const onStatus = renderPanel(() => skewed, skewed.expires_at ?? undefined);
    expect(screen.getByRole('timer')).toHaveTextContent('剩余 150:00');
    await act(async () => void (await vi.advanceTimersByTimeAsync(0))); // the first status arrives
    expect(onStatus).toHaveBeenCalledTimes(1);
    await act(async () => void (await vi.advanceTimersByTimeAsync(1000)));
    expect(screen.getByRole('timer')).toHaveTextContent(/剩余 1(19:59|20:00)/);
  });

  it('shows the link when the clipboard is not available', async () => {
    renderPanel(() => bill({}));
    fireEvent.click(screen.getByRole('button', { name: '复制付款链接' }));
    expect(screen.getByRole('textbox', { name: '付款链接' })).toHaveValue(
      'http://gateway.test/sandbox/wx/scan/bill1',
    );
  });
});
