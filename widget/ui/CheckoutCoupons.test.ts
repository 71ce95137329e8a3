/**
 * The menu's 优惠券 row for an order with a buyer_id: the buyer's coupons (from the gateway, through the lazy
 * chunk) with "none" first, usable ones with what they take off, unusable ones greyed and disabled with why; the
 * payer's pick changes 合计 to the paid amount with 已优惠, and the bill is created with that coupon_id. In both
 * languages. The gateway client is the real one over a fetch that answers as the gateway does.
 */
import '@testing-library/jest-dom/vitest';
import { fireEvent, screen, waitFor } from '@testing-library/dom';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ButtonCoupon } from '../../sdk/button-types.ts';
import { createGatewayClient } from '../gateway.ts';
import { messagesFor, type Locale } from '../i18n.ts';
import { qrChunk } from '../qr/lazy.ts';
import type { Order } from '../types.ts';
import { closeCheckouts, showCheckout } from '../testing/show-checkout.ts';
import type { Platform } from './platform.ts';

afterEach(closeCheckouts);

const order: Order = {
  outTradeNo: 'shop20261202077',
  title: '优惠商品',
  amount: 5000,
  sign: 'a'.repeat(64),
  signType: 'HMAC-SHA256',
  debug: false,
  needAliGuide: true,
  useApp: true,
  buyerId: 'buyer-7',
};

const coupons: ButtonCoupon[] = [
  {
    id: 'c-5',
    name: '满30减5',
    type: 0,
    discount: 500,
    pay_fee: 4500,
    limit_fee: 3000,
    end_time: null,
    usable: true,
    reason: '',
  },
  {
    id: 'c-20',
    name: '满100减20',
    type: 0,
    discount: 0,
    pay_fee: 5000,
    limit_fee: 10000,
    end_time: null,
    usable: false,
    reason: 'below_threshold',
  },
  {
    id: 'c-old',
    name: '旧券',
    type: 1,
    discount: 0,
    pay_fee: 5000,
    limit_fee: 0,
    end_time: 1,
    usable: false,
    reason: 'expired',
  },
];

function setup(locale: Locale, withBuyer = true) {
  const bodies: Array<{ url: string; body: Record<string, unknown> }> = [];
  const fetchFn = async (url: string, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown>;
    bodies.push({ url, body });
    const answer = url.endsWith('/2/rest/jsbutton/coupons')
      ? { result_code: 0, resultCode: 0, result_msg: 'OK', err_detail: '', coupons }
      : {
          result_code: 0,
          resultCode: 0,
          id: 'bill-1',
          action: 'redirect',
          url: 'http://cashier.test/pay',
          method: 'GET',
          param: {},
        };
    return new Response(JSON.stringify(answer), { headers: { 'content-type': 'application/json' } });
  };
  const submitForm = vi.fn();
  const platform: Platform = {
    navigate: () => {},
    submitForm,
    alert: vi.fn(),
    loadChunk: async () => qrChunk,
    openStream: null,
    win: window,
  };
  showCheckout({
    order: withBuyer ? order : { ...order, buyerId: undefined },
    environment: 'desktop',
    channels: ['ali', 'un'],
    messages: messagesFor(locale),
    locale,
    gateway: () => createGatewayClient('http://gateway.test', 'app-1', fetchFn),
    platform,
    callbacks: {},
    onClose: vi.fn(),
  });
  return { bodies, submitForm };
}

describe('the 优惠券 row', () => {
  it('lists the coupons, greys the unusable ones with why, and pays the picked one (zh-CN)', async () => {
    const { bodies, submitForm } = setup('zh-CN');
    const none = await screen.findByRole('radio', { name: '不使用优惠券' });
    expect(none).toBeChecked();
    expect(screen.getByText('合计：¥50.00')).toBeInTheDocument();
    const five = screen.getByRole('radio', { name: /满30减5/ });
    expect(five).toBeEnabled();
    expect(screen.getByText('-¥5.00')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /满100减20/ })).toBeDisabled();
    expect(screen.getByText('满¥100.00可用')).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: /旧券/ })).toBeDisabled();
    expect(screen.getByText('已过期')).toBeInTheDocument();
    expect(bodies[0]!.body).toMatchObject({ buyer_id: 'buyer-7', out_trade_no: order.outTradeNo });
    expect(bodies[0]!.body.coupon_id).toBeUndefined();

    fireEvent.click(five);
    expect(screen.getByText('合计：¥45.00')).toBeInTheDocument();
    expect(screen.getByText(/\(已优惠¥5\.00\)/)).toBeInTheDocument();

    fireEvent.click(screen.getByRole('button', { name: '确认' }));
    await waitFor(() => expect(submitForm).toHaveBeenCalled());
    const creation = bodies.find((entry) => entry.url.endsWith('/2/rest/jsbutton/ALI_WEB'));
    expect(creation?.body).toMatchObject({ buyer_id: 'buyer-7', coupon_id: 'c-5', amount: 5000 });
  });

  it('lets the payer go back to no coupon, in English', async () => {
    const { bodies, submitForm } = setup('en');
    const five = await screen.findByRole('radio', { name: /满30减5/ });
    fireEvent.click(five);
    expect(screen.getByText('Total: ¥45.00')).toBeInTheDocument();
    expect(screen.getByText(/\(¥5\.00 off\)/)).toBeInTheDocument();
    expect(screen.getByText('For orders from ¥100.00')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('radio', { name: 'No coupon' }));
    expect(screen.getByText('Total: ¥50.00')).toBeInTheDocument();
    fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
    await waitFor(() => expect(submitForm).toHaveBeenCalled());
    const creation = bodies.find((entry) => entry.url.endsWith('/2/rest/jsbutton/ALI_WEB'));
    expect(creation?.body.coupon_id).toBeUndefined();
  });

  it('shows no row and asks for nothing without a buyer_id', async () => {
    const { bodies } = setup('zh-CN', false);
    await screen.findByRole('button', { name: '确认' });
    expect(screen.queryByText('优惠券')).toBeNull();
    expect(bodies).toEqual([]);
  });
});
