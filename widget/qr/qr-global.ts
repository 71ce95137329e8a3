/** The window properties through which the first script and the lazily loaded QR chunk meet. */
export const QR_GLOBAL = '__spayQrChunk';
/**
 * What the first script lends the chunk (its adoptStyles, callMerchant, statusMessage, DOM helpers and icons): one
 * copy per page. The chunk brings its own Preact, which the first script does without.
 */
export const SHARED_GLOBAL = '__spayShared';
export const QR_CHUNK_FILE = 'spay-qr.js';
