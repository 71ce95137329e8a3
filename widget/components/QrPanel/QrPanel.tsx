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
export class QrPanel extends Component<QrPanelProps, { showLink: boolean }> {
  drawing: QrDrawing = encodeQr(this.props.codeUrl);
  watch?: BillWatch;
  override state = { showLink: false };

  texts: QrTexts = qrTexts(this.props.locale);

  override componentDidMount() {
    const root = this.base?.getRootNode();
    if (root instanceof ShadowRoot) adoptStyles(root, css);
    const { billId, source, openStream } = this.props;
    this.watch = watchBillStatus({
      billId,
      source,
      openStream,
      onStatus: (bill) => this.props.onStatus(bill),
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

  render(props: QrPanelProps, { showLink }: { showLink: boolean }) {
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
            expiresAt={props.expiresAt}
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
