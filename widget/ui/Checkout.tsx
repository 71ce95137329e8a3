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
import { networkError, type CreatedBill, type GatewayClient, type QrBill } from '../gateway.ts';
import type { Locale, Messages } from '../i18n.ts';
import type { QrChunk } from '../qr-loader.ts';
import { WX_PAY_OK } from '../jsapi.ts';
import { isNetworkTrouble, NETWORK_NOTICE, type PayerNotice, type PayerTrouble } from '../notices.ts';
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
import { LazyQrPanel } from './LazyQrPanel.tsx';
import type { Platform } from './platform.ts';

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
        ? { kind: 'trouble' }
        : instantChannel
          ? { kind: 'creating', channel: instantChannel }
          : { kind: 'menu' },
    };
  }

  override componentDidMount() {
    const { initialError, instantChannel } = this.props;
    if (initialError) void this.trouble(initialError);
    else if (instantChannel) void this.start(instantChannel);
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
      else
        try {
          await platform.submitForm(bill.url, bill.method, bill.param);
        } catch (error) {
          this.fail(networkError(String(error)), channel);
        }
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
    let jsapi: QrChunk['jsapi'];
    try {
      ({ jsapi } = await platform.loadChunk());
    } catch (error) {
      return this.fail(networkError(String(error)), channel);
    }
    if (controller.signal.aborted) return;
    // Paid: the dialog closes before the callbacks, as in the original. Cancelled or failed: it stays, saying so.
    const result = await jsapi(
      bill,
      {
        closeUi: (answer) =>
          answer?.err_msg === WX_PAY_OK ? this.props.onClose() : void this.trouble('unfinished', channel),
        debug: order.debug,
        alert: platform.alert,
        callbacks,
      },
      platform.win,
    );
    this.emit(result?.err_msg === WX_PAY_OK ? 'paid' : 'failed', {
      channel,
      rest_channel: restChannel,
      bill_id: bill.id,
      wx_result: result,
    });
  }

  /** The QR bill ended unpaid: its countdown reached zero (`qrExpired`), or the gateway expired or closed it. */
  ended(channel: ChannelCode, billId: string, trouble: PayerTrouble, bill?: PublicBill) {
    if (this.state.step.kind !== 'qr') return;
    void this.trouble(trouble, channel);
    this.emit(trouble === 'unfinished' ? 'failed' : 'expired', { channel, bill_id: billId, bill });
  }

  qrStatus(channel: ChannelCode, bill: PublicBill) {
    const { order, platform, messages } = this.props;
    if (bill.status === 'open') return;
    // The payer sees the code, so the gateway's "expired" reads as the countdown's: the code expired.
    if (bill.status !== 'paid')
      return this.ended(channel, bill.id, bill.status === 'expired' ? 'qrExpired' : 'unfinished', bill);
    this.show({ kind: 'paid', bill }, messages.paid);
    this.emit('paid', { channel, bill_id: bill.id, bill });
    const { returnUrl } = order;
    if (returnUrl)
      void platform.loadChunk().then((chunk) => {
        const target = chunk.returnUrl(returnUrl, bill);
        this.timers.push(setTimeout(() => platform.navigate(target), platform.paidPauseMs ?? 1200));
      });
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
            load={platform.loadChunk}
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
            onExpire={() => this.ended(step.channel, step.bill.id, 'qrExpired')}
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
