/**
 * The payer's dialog as a small state machine: channel menu → creating the bill → (QR panel → paid | expired)
 * or a hand-off (cashier form, Alipay guide page, WeChat JSAPI), or a payer notice (notices.ts) saying what
 * stopped the payment and what to do. The technical detail goes to the merchant, never into the dialog.
 *
 * Plain DOM, no Preact (issue 15: the first script stays small): the first script draws the dialog's shell, the
 * channel menu, the spinner and the notices itself; the lazy chunk (which holds Preact) draws the steps after the
 * bill's creation into the dialog's content (`chunk.content`) and the menu's 优惠券 row (`chunk.couponMenu`).
 */
import { restChannelFor, type ChannelCode } from '../channels.ts';
import { channelMenu, type ChannelMenu } from '../components/ChannelMenu/index.ts';
import { modal, type Modal } from '../components/Modal/index.ts';
import { statusMessage } from '../components/StatusMessage/index.ts';
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
import { el } from './dom.ts';
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

export interface CheckoutState {
  step: CheckoutStep;
  /** What the live region says (screen readers announce changes). */
  live: string;
  /** The buyer's coupons (an order with buyer_id), once the lazy chunk fetched them (ui/coupons.tsx). */
  coupons?: ButtonCoupon[];
  /** The coupon the payer picked. */
  couponId?: string;
}

export class Checkout {
  props: CheckoutProps;
  state: CheckoutState;
  creation: AbortController | null = null;
  timers: ReturnType<typeof setTimeout>[] = [];
  /** The lazy chunk, once loaded (it draws the steps after the bill's creation and the 优惠券 row). */
  chunk?: QrChunk;
  /** The gateway client, made by the chunk (ui/coupons.tsx clientOf). */
  client?: GatewayClient;
  dialog: Modal;
  liveRegion = el('div', { class: 'visually-hidden', role: 'status', 'aria-live': 'polite' });
  /** The channel menu while it shows. */
  menu?: ChannelMenu;
  /** Removes what the chunk drew for the current step (unmounts its Preact tree: timers, status watch). */
  drawn?: (() => void) | void;

  /** Draws the dialog into `parent` (a shadow root, or a test's container) and starts. */
  constructor(props: CheckoutProps, parent: Node) {
    this.props = props;
    const { initialError, instantChannel, order, platform, messages } = props;
    this.state = {
      live: '',
      step: initialError
        ? { kind: 'trouble' }
        : instantChannel
          ? { kind: 'creating', channel: instantChannel }
          : { kind: 'menu' },
    };
    this.dialog = modal(
      { title: messages.pay, closeLabel: messages.close, onClose: props.onClose },
      this.liveRegion,
    );
    this.draw();
    parent.appendChild(this.dialog.mask);
    this.dialog.focusFirst();
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

  /** The dialog goes: nothing more is sent or drawn. */
  destroy() {
    this.creation?.abort();
    this.timers.forEach(clearTimeout);
    this.drawn?.();
    this.drawn = undefined;
    this.dialog.mask.remove();
  }

  setState(change: Partial<CheckoutState>) {
    const kind = this.state.step.kind;
    this.state = { ...this.state, ...change };
    if (change.live !== undefined) this.liveRegion.textContent = change.live;
    if (change.step) this.draw(change.step.kind !== kind);
    else if (this.menu && ('coupons' in change || 'couponId' in change)) this.drawCoupons();
  }

  show(step: CheckoutStep, live: string) {
    this.setState({ step, live });
  }

  /**
   * Replaces the content with the current step's; the focus moves in when the step's kind changed or the focused
   * control was in the content replaced.
   */
  draw(kindChanged = false) {
    const { content, panel } = this.dialog;
    const hadFocus = content.contains((panel.getRootNode() as Document | ShadowRoot).activeElement);
    this.drawn?.();
    this.drawn = this.menu = undefined;
    content.textContent = '';
    const node = this.content(this.state.step);
    if (node) content.append(node);
    if (kindChanged || hadFocus) this.dialog.focusFirst();
  }

  /** The 优惠券 row (drawn by the chunk once it has the buyer's coupons) and the total it changes. */
  drawCoupons() {
    const menu = this.menu!;
    const coupon = this.chunk?.couponMenu(this, menu.extra);
    menu.total(formatFen(this.props.order.amount - (coupon?.discount ?? 0)), coupon?.note);
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
    // Aborted when the dialog closes (destroy) or another attempt starts: nothing more is sent.
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

  /** The current step's content, or undefined when the chunk drew it into the dialog's content. */
  content(step: CheckoutStep): Node | undefined {
    const { messages, order, onClose } = this.props;
    switch (step.kind) {
      case 'menu':
        this.menu = channelMenu({
          channels: this.props.channels,
          amount: formatFen(order.amount),
          messages,
          onConfirm: (channel) => void this.start(channel),
        });
        if (this.chunk) this.drawCoupons();
        return this.menu.form;
      case 'creating':
        return statusMessage({ kind: 'progress', title: messages.creating });
      case 'trouble': {
        const { channel, notice } = step;
        if (!notice) return statusMessage({ kind: 'progress', title: messages.pay });
        const action = channel ? notice.action : 'close';
        return statusMessage({
          kind: 'trouble',
          title: notice.title,
          text: notice.text,
          action: {
            label: messages[action],
            run: () =>
              action === 'close'
                ? onClose()
                : action === 'menu'
                  ? this.show({ kind: 'menu' }, messages.channels)
                  : void this.start(channel!),
          },
        });
      }
      default:
        this.drawn = this.chunk?.content(this, step, this.dialog.content);
    }
  }
}
