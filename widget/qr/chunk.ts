/**
 * The lazily loaded chunk's entry (dist/widget/spay-qr.js): registers lazy.ts's offer on window. Loaded once the
 * gateway has answered the payer's channel (QR panel, JSAPI, redirect form) or a payment stops, so the first
 * script stays small. Its `preact`, adopt-styles.ts and events.ts imports are the first script's (vite.config.ts
 * maps them to window.__spayPreact): one copy per page.
 */
import { qrChunk } from './lazy.ts';
import { QR_GLOBAL } from './qr-global.ts';

(window as unknown as Record<string, unknown>)[QR_GLOBAL] = qrChunk;
