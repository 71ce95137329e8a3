/**
 * The payer's dialog as a small state machine: channel menu → creating the bill → (QR panel → paid | expired)
 * or a hand-off (cashier form, Alipay guide page, WeChat JSAPI), or a payer notice (notices.ts) saying what
 * stopped the payment and what to do. The technical detail goes to the merchant, never into the dialog.
 */
import { Component } from 'preact';
import { restChannelFor, type ChannelCode } from '../channels.ts';
import { ChannelMenu } from '../components/ChannelMenu/index.ts';
import { Modal } from '../components/Modal/index.ts';
import { StatusMessage } from '../components/StatusMessage/index.ts';
import { emitLifecycle, reportDataError } from '../events.ts';
import type { GatewayClient, QrBill } from '../gateway.ts';
import type { Locale, Messages } from '../i18n.ts';
import type { QrChunk } from '../qr-loader.ts';
import {
  isNetworkTrouble,
  NETWORK_NOTICE,
  networkError,
  type PayerNotice,
  type PayerTrouble,
} from '../notices.ts';
import { formatFen } from '../money.ts';
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
import type { Platform } from './platform.ts';
import type { ButtonCoupon } from '../../sdk/button-types.ts';

export type CheckoutStep =
  | { kind: 'menu' }
  | { kind: 'creating'; channel: ChannelCode }
  | { kind: 'qr'; channel: ChannelCode; bill: QrBill }
  | { kind: 'paid'; bill: PublicBill }
  | { kind: 'wechat'; channel: ChannelCode }
  /**
   * The payment stopped: `channel` is the one to retry (absent when the order itself is at fault); no `notice`
   * while it loads (the lazy chunk).
   */
  | { kind: 'trouble'; channel?: ChannelCode; notice?: PayerNotice };

export interface CheckoutProps {
  order: Order;
  environment: Environment;
  channels: readonly ChannelCode[];
  messages: Messages;
  locale: Locale;
  /**
   * The gateway client, made from the lazy chunk (which holds gateway.ts: nothing is sent before the payer's
   * choice, and then the chunk is needed for every answer).
   */
  gateway(chunk: QrChunk): GatewayClient;
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
  /** The buyer's coupons (an order with buyer_id), once the lazy chunk fetched them (ui/coupons.tsx). */
  coupons?: ButtonCoupon[];
  /** The coupon the payer picked. */
  couponId?: string;
}

export class Checkout extends Component<CheckoutProps, CheckoutState> {
  creation: AbortController | null = null;
  timers: ReturnType<typeof setTimeout>[] = [];
  /** The lazy chunk, once loaded (it renders the steps after the bill's creation and the 优惠券 row). */
  chunk?: QrChunk;
  /** The gateway client, made by the chunk (ui/coupons.tsx clientOf). */
  client?: GatewayClient;

  constructor(props: CheckoutProps) {
    super(props);
    const { initialError, instantChannel } = props;
    this.state = {
      live: '',
      step: initialError
        ? { kind: 'trouble' }
        : instantChannel
          ? { kind: 'creating', channel: instantChannel }
          : { kind: 'menu' },
    };
  }

  override componentDidMount() {
    const { initialError, instantChannel, order, platform } = this.props;
    if (initialError) void this.trouble(initialError);
    else if (instantChannel) void this.start(instantChannel);
    // The 优惠券 row lives in the lazy chunk: load it with the buyer's coupons while the payer reads the menu.
    else if (order.buyerId)
      platform.loadChunk().then(
        (chunk) => {
          this.chunk = chunk;
          return chunk.loadCoupons(this);
        },
        () => undefined,
      );
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

  /**
   * Shows the payer's notice for `trouble` (the live region reads its title and text) once its texts are here:
   * without the lazy chunk, the network notice (if the chunk cannot load, the network is the likely cause).
   */
  async trouble(cause: PayerTrouble | DataError, channel?: ChannelCode) {
    const { locale, platform } = this.props;
    const found = isNetworkTrouble(cause)
      ? undefined
      : await platform.loadChunk().then(
          ({ notices }) => notices(cause, locale),
          () => undefined,
        );
    const notice = found ?? NETWORK_NOTICE[locale];
    this.show({ kind: 'trouble', channel, notice }, `${notice.title} ${notice.text}`);
  }

  fail(error: DataError, channel?: ChannelCode) {
    const { callbacks, order, platform } = this.props;
    void this.trouble(error, channel);
    reportDataError(error, callbacks, order.debug, platform.alert);
    this.emit('failed', { channel, error });
  }

  start(channel: ChannelCode) {
    const { order, environment, platform, messages } = this.props;
    const restChannel = restChannelFor(channel, environment);
    this.emit('channel', { channel, rest_channel: restChannel });
    const missing = checkChannelData(channel, order);
    if (missing) return this.fail(missing, channel);
    this.show({ kind: 'creating', channel }, messages.creating);
    this.creation?.abort();
    // Aborted when the dialog closes (componentWillUnmount) or another attempt starts: nothing more is sent.
    const { signal } = (this.creation = new AbortController());
    platform.loadChunk().then(
      (chunk) => {
        if (signal.aborted) return;
        this.chunk = chunk;
        void chunk.pay(this, channel, restChannel, signal);
      },
      (error: unknown) => signal.aborted || this.fail(networkError(String(error)), channel),
    );
  }

  content(step: CheckoutStep) {
    const { messages, order } = this.props;
    switch (step.kind) {
      case 'menu': {
        const coupon = this.chunk?.couponMenu(this);
        return (
          <ChannelMenu
            channels={this.props.channels}
            amount={formatFen(order.amount - (coupon?.discount ?? 0))}
            messages={messages}
            onConfirm={(channel) => void this.start(channel)}
            note={coupon?.note}
            extra={coupon?.extra}
          />
        );
      }
      case 'creating':
        return <StatusMessage kind="progress" title={messages.creating} />;
      case 'trouble': {
        const { channel, notice } = step;
        if (!notice) return <StatusMessage kind="progress" title={messages.pay} />;
        const action = channel ? notice.action : 'close';
        return (
          <StatusMessage
            kind="trouble"
            title={notice.title}
            text={notice.text}
            action={{
              label: messages[action],
              run: () =>
                action === 'close'
                  ? this.props.onClose()
                  : action === 'menu'
                    ? this.show({ kind: 'menu' }, messages.channels)
                    : void this.start(channel!),
            }}
          />
        );
      }
      default:
        return this.chunk?.content(this, step);
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
