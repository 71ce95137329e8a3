/**
 * The payer's dialog as a small state machine: channel menu → creating the bill → (QR panel → paid | expired)
 * or a hand-off (cashier form, Alipay guide page, WeChat JSAPI), or an error state.
 */
import { Component } from 'preact';
import { restChannelFor, type ChannelCode } from '../channels.ts';
import { ChannelMenu } from '../components/ChannelMenu/index.ts';
import { ErrorState } from '../components/ErrorState/index.ts';
import { Modal } from '../components/Modal/index.ts';
import { StatusMessage } from '../components/StatusMessage/index.ts';
import { emitLifecycle, reportDataError } from '../events.ts';
import { networkError, type CreatedBill, type GatewayClient, type QrBill } from '../gateway.ts';
import type { Locale, Messages } from '../i18n.ts';
import { payWithJsapi, WX_PAY_OK } from '../jsapi.ts';
import { formatFen } from '../money.ts';
import { returnUrlWithResult } from '../return-url.ts';
import type {
  ClickEvents,
  DataError,
  Environment,
  LifecycleDetail,
  LifecycleName,
  Order,
  PublicBill,
} from '../types.ts';
import { checkChannelData } from '../validate.ts';
import { LazyQrPanel } from './LazyQrPanel.tsx';
import type { Platform } from './platform.ts';

export type CheckoutStep =
  | { kind: 'menu' }
  | { kind: 'creating'; channel: ChannelCode }
  | { kind: 'qr'; channel: ChannelCode; bill: QrBill }
  | { kind: 'paid'; bill: PublicBill }
  | { kind: 'expired'; channel: ChannelCode; billId: string }
  | { kind: 'wechat'; channel: ChannelCode }
  | { kind: 'error'; error: DataError; channel?: ChannelCode };

export interface CheckoutProps {
  order: Order;
  environment: Environment;
  channels: readonly ChannelCode[];
  messages: Messages;
  locale: Locale;
  gateway: GatewayClient;
  platform: Platform;
  callbacks: ClickEvents;
  /** instant_channel: skip the menu and start with this channel. */
  instantChannel?: ChannelCode;
  /** Opens on an error already reported (bad data on a page without a dataError callback). */
  initialError?: DataError;
  /** Removes the dialog (the caller emits `close` and returns the focus). */
  onClose(): void;
}

interface CheckoutState {
  step: CheckoutStep;
  /** What the live region says (screen readers announce changes). */
  live: string;
}

export class Checkout extends Component<CheckoutProps, CheckoutState> {
  creation: AbortController | null = null;
  timers: ReturnType<typeof setTimeout>[] = [];

  constructor(props: CheckoutProps) {
    super(props);
    const { initialError, instantChannel } = props;
    this.state = {
      live: '',
      step: initialError
        ? { kind: 'error', error: initialError }
        : instantChannel
          ? { kind: 'creating', channel: instantChannel }
          : { kind: 'menu' },
    };
  }

  override componentDidMount() {
    if (this.props.instantChannel && !this.props.initialError) void this.start(this.props.instantChannel);
  }

  override componentWillUnmount() {
    this.creation?.abort();
    this.timers.forEach(clearTimeout);
  }

  show(step: CheckoutStep, live: string) {
    this.setState({ step, live });
  }

  emit(name: LifecycleName, detail: Omit<LifecycleDetail, 'out_trade_no'>) {
    emitLifecycle(name, { out_trade_no: this.props.order.outTradeNo, ...detail }, this.props.callbacks);
  }

  fail(error: DataError, channel?: ChannelCode) {
    const { callbacks, order, platform, messages } = this.props;
    this.show({ kind: 'error', error, channel }, `${messages.errorTitle}: ${error.message}`);
    reportDataError(error, callbacks, order.debug, platform.alert);
    this.emit('failed', { channel, error });
  }

  async start(channel: ChannelCode) {
    const { order, environment, gateway, platform, messages, callbacks } = this.props;
    const restChannel = restChannelFor(channel, environment);
    this.emit('channel', { channel, rest_channel: restChannel });
    const missing = checkChannelData(channel, order);
    if (missing) return this.fail(missing, channel);
    this.show({ kind: 'creating', channel }, messages.creating);
    this.creation?.abort();
    const controller = (this.creation = new AbortController());
    let bill: CreatedBill;
    try {
      bill = await gateway.createBill(restChannel, order, controller.signal);
    } catch {
      return; // aborted: the dialog was closed
    }
    if (controller.signal.aborted) return;
    if (order.debug) platform.alert(JSON.stringify(bill));
    if (bill.kind === 'rejected') return this.fail(bill.error, channel);
    if (bill.kind === 'redirect') {
      if (channel === 'ali' && environment === 'wechat' && order.needAliGuide && bill.guideUrl)
        platform.navigate(bill.guideUrl);
      else platform.submitForm(bill.url, bill.method, bill.param);
      return;
    }
    if (bill.kind === 'qr') {
      this.show(
        { kind: 'qr', channel, bill },
        `${messages.qrTitle} ¥${formatFen(bill.totalFee || order.amount)}`,
      );
      this.emit('qrshown', { channel, rest_channel: restChannel, bill_id: bill.id, code_url: bill.codeUrl });
      return;
    }
    this.show({ kind: 'wechat', channel }, messages.waitingWechat);
    const result = await payWithJsapi(
      bill,
      { closeUi: this.props.onClose, debug: order.debug, alert: platform.alert, callbacks },
      platform.win,
    );
    this.emit(result?.err_msg === WX_PAY_OK ? 'paid' : 'failed', {
      channel,
      rest_channel: restChannel,
      bill_id: bill.id,
      wx_result: result,
    });
  }

  expired(channel: ChannelCode, billId: string) {
    if (this.state.step.kind !== 'qr') return;
    this.show({ kind: 'expired', channel, billId }, this.props.messages.expiredTitle);
    this.emit('expired', { channel, bill_id: billId });
  }

  qrStatus(channel: ChannelCode, bill: PublicBill) {
    const { order, platform, messages } = this.props;
    if (bill.status === 'open') return;
    if (bill.status !== 'paid') return this.expired(channel, bill.id);
    this.show({ kind: 'paid', bill }, messages.paid);
    this.emit('paid', { channel, bill_id: bill.id, bill });
    if (order.returnUrl) {
      const target = returnUrlWithResult(order.returnUrl, bill);
      this.timers.push(setTimeout(() => platform.navigate(target), platform.paidPauseMs ?? 1200));
    }
  }

  content(step: CheckoutStep) {
    const { messages, locale, order, platform, gateway } = this.props;
    switch (step.kind) {
      case 'menu':
        return (
          <ChannelMenu
            channels={this.props.channels}
            amount={formatFen(order.amount)}
            messages={messages}
            onConfirm={(channel) => void this.start(channel)}
          />
        );
      case 'creating':
        return <StatusMessage kind="progress" title={messages.creating} />;
      case 'wechat':
        return <StatusMessage kind="progress" title={messages.waitingWechat} />;
      case 'qr':
        return (
          <LazyQrPanel
            key={step.bill.id}
            load={platform.loadQrPanel}
            title={messages.qrTitle}
            onLoadError={(message) => this.fail(networkError(message), step.channel)}
            billId={step.bill.id}
            codeUrl={step.bill.codeUrl}
            amount={formatFen(step.bill.totalFee || order.amount)}
            expiresAt={step.bill.expiresAt}
            locale={locale}
            source={gateway}
            openStream={platform.openStream}
            onStatus={(bill) => this.qrStatus(step.channel, bill)}
            onExpire={() => this.expired(step.channel, step.bill.id)}
            announce={(live) => this.setState({ live })}
            now={platform.now}
          />
        );
      case 'paid':
        return (
          <StatusMessage
            kind="success"
            title={messages.paid}
            text={order.returnUrl ? messages.returning : undefined}
          />
        );
      case 'expired':
        return (
          <StatusMessage kind="expired" title={messages.expiredTitle} text={messages.expiredText}>
            <div class="actions">
              <button
                type="button"
                class="primary"
                data-autofocus
                onClick={() => void this.start(step.channel)}
              >
                {messages.refresh}
              </button>
            </div>
          </StatusMessage>
        );
      case 'error': {
        const retry = step.channel && step.error.code === 'NETWORK_ERROR';
        return (
          <ErrorState
            title={messages.errorTitle}
            error={step.error}
            actionLabel={retry ? messages.retry : messages.close}
            onAction={() => (retry ? void this.start(step.channel!) : this.props.onClose())}
          />
        );
      }
    }
  }

  render({ messages, onClose }: CheckoutProps, { step, live }: CheckoutState) {
    return (
      <Modal title={messages.pay} closeLabel={messages.close} onClose={onClose} focusKey={step.kind}>
        {this.content(step)}
        <div class="visually-hidden" role="status" aria-live="polite">
          {live}
        </div>
      </Modal>
    );
  }
}
