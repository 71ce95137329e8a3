/** The window properties through which the first script and the lazily loaded QR chunk meet. */
export const QR_GLOBAL = '__spayQrChunk';
/** The first script's Preact (`h`, `Component`), with which the chunk's components render (one Preact per page). */
export const PREACT_GLOBAL = '__spayPreact';
export const QR_CHUNK_FILE = 'spay-qr.js';
