import { Component } from 'preact';
import {
  watchBillStatus,
  type BillWatch,
  type StatusSource,
  type StatusStreamFactory,
} from '../../hooks/watchBillStatus.ts';
import type { Locale } from '../../i18n.ts';
import { encodeQr, type QrDrawing } from '../../qr/qr-path.ts';
import type { PublicBill } from '../../types.ts';
import { adoptStyles } from '../../ui/adopt-styles.ts';
import { Countdown } from '../Countdown/index.ts';
import css from './qr-panel.css?inline';
import { qrTexts, type QrTexts } from './qr-texts.ts';

export interface QrPanelProps {
  billId: string;
  codeUrl: string;
  /** "x.xx" yuan. */
  amount: string;
  /** ms since epoch, from the gateway. */
  expiresAt: number;
  locale: Locale;
  /** Where the bill's status comes from (the gateway client). */
  source: StatusSource;
  openStream?: StatusStreamFactory | null;
  onStatus(bill: PublicBill): void;
  onExpire(): void;
  announce(text: string): void;
  now?: () => number;
}

/**
 * WeChat's QR payment: "微信扫码付款", the QR of code_url drawn here, "¥x.xx", the instruction, the countdown and
 * a copy-link fallback. While it shows, the bill's status is followed live (watchBillStatus); unmounting stops it.
 */
interface QrPanelState {
  showLink: boolean;
  /** When the code expires, in this browser's clock. */
  deadline: number;
}

export class QrPanel extends Component<QrPanelProps, QrPanelState> {
  drawing: QrDrawing = encodeQr(this.props.codeUrl);
  watch?: BillWatch;
  shownAt = (this.props.now ?? Date.now)();
  override state = { showLink: false, deadline: this.props.expiresAt };

  /**
   * expires_at is in the gateway's clock; a payer's clock can be off by minutes. The first status carries the
   * bill's create_time (the gateway's clock, just before the code was shown): when the two clocks disagree by
   * more than a minute, count the bill's lifetime from the moment the code appeared here instead.
   */
  onStatus = (bill: PublicBill) => {
    const fromHere = this.shownAt + (bill.expires_at ?? 0) - bill.create_time;
    if (bill.expires_at && bill.create_time && Math.abs(fromHere - this.props.expiresAt) > 60_000) {
      this.setState({ deadline: fromHere });
    }
    this.props.onStatus(bill);
  };

  texts: QrTexts = qrTexts(this.props.locale);

  override componentDidMount() {
    const root = this.base?.getRootNode();
    if (root instanceof ShadowRoot) adoptStyles(root, css);
    const { billId, source, openStream } = this.props;
    this.watch = watchBillStatus({
      billId,
      source,
      openStream,
      onStatus: this.onStatus,
    });
  }

  override componentWillUnmount() {
    this.watch?.stop();
  }

  copyLink = async () => {
    const { codeUrl, announce } = this.props;
    this.setState({ showLink: true });
    try {
      await navigator.clipboard.writeText(codeUrl);
      announce(this.texts.linkCopied);
    } catch {
      // No clipboard permission: the link stays visible in the field below for the payer to copy.
    }
  };

  render(props: QrPanelProps, { showLink, deadline }: QrPanelState) {
    const texts = this.texts;
    const box = this.drawing.size + 8;
    return (
      <div class="body">
        <div class="centered">
          <h3>{texts.title}</h3>
          <div class="qr">
            <svg
              role="img"
              aria-label={texts.image}
              viewBox={`-4 -4 ${box} ${box}`}
              shape-rendering="crispEdges"
            >
              <rect x="-4" y="-4" width={box} height={box} fill="#fff" />
              <path d={this.drawing.path} fill="#000" />
            </svg>
          </div>
          <p class="amount">¥{props.amount}</p>
          <p>{texts.instruction}</p>
          <Countdown
            expiresAt={deadline}
            texts={texts}
            onExpire={props.onExpire}
            announce={props.announce}
            now={props.now}
          />
          <button type="button" class="link-button" onClick={this.copyLink}>
            {texts.copyLink}
          </button>
          {showLink && (
            <input
              class="link-field"
              readOnly
              value={props.codeUrl}
              aria-label={texts.paymentLink}
              onFocus={(event) => event.currentTarget.select()}
            />
          )}
        </div>
      </div>
    );
  }
}
