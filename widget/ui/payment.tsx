/**
 * The payer's dialog after a channel is chosen, shipped in the lazy chunk (qr/lazy.ts): the bill's creation and
 * what follows from the gateway's answer (QR panel → paid | expired, cashier form, Alipay guide page, WeChat
 * JSAPI). Checkout (first script, plain DOM) keeps the state, the channel menu and the payer notices' fallback; at
 * the payer's choice it shows a spinner, loads the chunk and hands the rest to `pay`; `paymentContent` draws those
 * steps into the dialog (the QR panel with the chunk's Preact). The chunk is needed for every
 * answer anyway (QR panel, hidden form, JSAPI, notice texts), so the two requests of a payment stay two: the
 * chunk, then the bill.
 */
import { render } from 'preact';
import { type ChannelCode } from '../channels.ts';
import { QrPanel } from '../components/QrPanel/QrPanel.tsx';
import { qrTexts } from '../components/QrPanel/qr-texts.ts';
import { stateIcon } from '../components/icons.ts';
import type { Locale } from '../i18n.ts';
import { statusMessage } from '../components/StatusMessage/StatusMessage.ts';
import { svg } from './dom.ts';
import type { CreatedBill } from '../gateway.ts';
import { networkError } from '../notices.ts';
import { payWithJsapi, WX_PAY_OK } from '../jsapi.ts';
import { formatFen } from '../money.ts';
import { returnUrlWithResult } from '../return-url.ts';
import type { PublicBill } from '../types.ts';
import type { Checkout, CheckoutStep } from './Checkout.ts';
import { clientOf, payingOrder } from './coupons.tsx';

/** The texts of the steps after the bill's creation (the first script's Messages hold the menu's). */
const TEXTS: Record<Locale, { paid: string; returning: string; waitingWechat: string }> = {
  'zh-CN': { paid: '支付成功', returning: '正在返回商户页面…', waitingWechat: '正在打开微信支付…' },
  en: {
    paid: 'Payment successful',
    returning: 'Returning to the shop…',
    waitingWechat: 'Opening WeChat Pay…',
  },
};

/**
 * Creates the bill for `channel` (sent as `restChannel`) and follows the gateway's answer; `signal` aborts when the
 * dialog closes or another attempt starts.
 */
export async function pay(
  checkout: Checkout,
  channel: ChannelCode,
  restChannel: string,
  signal: AbortSignal,
): Promise<void> {
  const { environment, platform, locale, callbacks } = checkout.props;
  const order = payingOrder(checkout);
  let bill: CreatedBill;
  try {
    bill = await clientOf(checkout).createBill(restChannel, order, signal);
  } catch {
    return; // aborted: the dialog was closed
  }
  if (signal.aborted) return;
  if (order.debug) platform.alert(JSON.stringify(bill));
  if (bill.kind === 'rejected') return checkout.fail(bill.error, channel);
  if (bill.kind === 'redirect') {
    if (channel === 'ali' && environment === 'wechat' && order.needAliGuide && bill.guideUrl)
      platform.navigate(bill.guideUrl);
    else
      try {
        await platform.submitForm(bill.url, bill.method, bill.param);
      } catch (error) {
        checkout.fail(networkError(String(error)), channel);
      }
    return;
  }
  if (bill.kind === 'qr') {
    checkout.show(
      { kind: 'qr', channel, bill },
      `${qrTexts(locale).title} ¥${formatFen(bill.totalFee || order.amount)}`,
    );
    checkout.emit('qrshown', {
      channel,
      rest_channel: restChannel,
      bill_id: bill.id,
      code_url: bill.codeUrl,
    });
    return;
  }
  checkout.show({ kind: 'wechat', channel }, TEXTS[locale].waitingWechat);
  // Paid: the dialog closes before the callbacks, as in the original. Cancelled or failed: it stays, saying so.
  const result = await payWithJsapi(
    bill,
    {
      closeUi: (answer) =>
        answer?.err_msg === WX_PAY_OK
          ? checkout.props.onClose()
          : void checkout.trouble('unfinished', channel),
      debug: order.debug,
      alert: platform.alert,
      callbacks,
    },
    platform.win,
  );
  checkout.emit(result?.err_msg === WX_PAY_OK ? 'paid' : 'failed', {
    channel,
    rest_channel: restChannel,
    bill_id: bill.id,
    wx_result: result,
  });
}

/** The QR bill ended unpaid: its countdown reached zero (`qrExpired`), or the gateway expired or closed it. */
function ended(
  checkout: Checkout,
  channel: ChannelCode,
  billId: string,
  trouble: 'qrExpired' | 'unfinished',
  bill?: PublicBill,
) {
  if (checkout.state.step.kind !== 'qr') return;
  void checkout.trouble(trouble, channel);
  checkout.emit(trouble === 'unfinished' ? 'failed' : 'expired', { channel, bill_id: billId, bill });
}

function qrStatus(checkout: Checkout, channel: ChannelCode, bill: PublicBill) {
  const { order, platform, locale } = checkout.props;
  if (bill.status === 'open') return;
  // The payer sees the code, so the gateway's "expired" reads as the countdown's: the code expired.
  if (bill.status !== 'paid')
    return ended(checkout, channel, bill.id, bill.status === 'expired' ? 'qrExpired' : 'unfinished', bill);
  checkout.show({ kind: 'paid', bill }, TEXTS[locale].paid);
  checkout.emit('paid', { channel, bill_id: bill.id, bill });
  const { returnUrl } = order;
  if (returnUrl) {
    const target = returnUrlWithResult(returnUrl, bill);
    checkout.timers.push(setTimeout(() => platform.navigate(target), platform.paidPauseMs ?? 1200));
  }
}

/**
 * Draws the content of the steps `pay` leads to into the dialog's `box`; returns what removes it (the QR panel's
 * Preact tree, with its countdown and status watch).
 */
export function paymentContent(checkout: Checkout, step: CheckoutStep, box: HTMLElement) {
  const { locale, order, platform } = checkout.props;
  const texts = TEXTS[locale];
  switch (step.kind) {
    case 'wechat':
      box.append(statusMessage({ kind: 'progress', title: texts.waitingWechat }));
      return;
    case 'qr':
      render(
        <QrPanel
          key={step.bill.id}
          billId={step.bill.id}
          codeUrl={step.bill.codeUrl}
          amount={formatFen(step.bill.totalFee || order.amount)}
          expiresAt={step.bill.expiresAt}
          locale={locale}
          source={clientOf(checkout)}
          openStream={platform.openStream}
          onStatus={(bill) => qrStatus(checkout, step.channel, bill)}
          onExpire={() => ended(checkout, step.channel, step.bill.id, 'qrExpired')}
          announce={(live) => checkout.setState({ live })}
          now={platform.now}
        />,
        box,
      );
      return () => render(null, box);
    case 'paid':
      box.append(
        statusMessage({
          icon: stateIcon(
            'success',
            svg('path', {
              d: 'M16 29l8 8 16-18',
              fill: 'none',
              stroke: 'currentColor',
              'stroke-width': 4,
              'stroke-linecap': 'round',
            }),
          ),
          title: texts.paid,
          text: order.returnUrl ? texts.returning : undefined,
        }),
      );
  }
}
