/**
 * The lazily loaded QR chunk (dist/widget/spay-qr.js): the QR panel, its countdown, the bill status watcher and
 * the `qrcode` encoder, and the texts of the payer notices for rare states (notice-texts.ts). Loaded only when a
 * payer picks WeChat's QR payment or a payment stops, so the first script stays small. Its
 * `preact` import is the first script's Preact (vite.config.ts maps it to window.__spayPreact): one per page.
 */
import { QrPanel } from '../components/QrPanel/index.ts';
import { payerNotice } from '../notice-texts.ts';
import type { NoticeFinder } from '../notices.ts';
import { QR_GLOBAL } from './qr-global.ts';

export interface QrChunk {
  QrPanel: typeof QrPanel;
  notices: NoticeFinder;
}

(window as unknown as Record<string, QrChunk>)[QR_GLOBAL] = { QrPanel, notices: payerNotice };
