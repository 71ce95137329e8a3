/**
 * The lazily loaded chunk's entry (dist/widget/spay-qr.js): registers lazy.ts's offer on window. Loaded once the
 * gateway has answered the payer's channel (QR panel, JSAPI, redirect form) or a payment stops, so the first
 * script stays small. It holds Preact (the first script has none); its adopt-styles.ts, events.ts, StatusMessage,
 * ui/dom.ts and icons imports are the first script's (vite.config.ts maps them to window.__spayShared): one copy
 * per page.
 */
import { qrChunk } from './lazy.ts';
import { QR_GLOBAL } from './qr-global.ts';

(window as unknown as Record<string, unknown>)[QR_GLOBAL] = qrChunk;
