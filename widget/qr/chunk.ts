/**
 * The lazily loaded chunk's entry (dist/widget/spay-qr.js): registers lazy.ts's offer on window. Loaded when the
 * payer picks a channel (in parallel with the bill's creation) or a payment stops, so the first script stays
 * small. Its `preact` import is the first script's Preact and adopt-styles.ts its adoptStyles (vite.config.ts
 * maps both to window.__spayPreact): one copy per page.
 */
import { qrChunk } from './lazy.ts';
import { QR_GLOBAL } from './qr-global.ts';

(window as unknown as Record<string, unknown>)[QR_GLOBAL] = qrChunk;
