/**
 * Loads the lazy chunk (qr/lazy.ts: Preact, the bill's creation and what follows it, the payer notices' texts, the
 * hidden form) once, as a classic script from the gateway (`/1/pay/jsbutton/assets/spay-qr.js`), after lending it
 * this script's adoptStyles, callMerchant, statusMessage, DOM helpers and state icon (vite.config.ts).
 */
import type { QrChunk } from './qr/lazy.ts';
import { QR_CHUNK_FILE, QR_GLOBAL, SHARED_GLOBAL } from './qr/qr-global.ts';
import { callMerchant } from './events.ts';
import { adoptStyles } from './ui/adopt-styles.ts';
import { svg } from './ui/dom.ts';
import { stateIcon } from './components/icons.ts';
import { statusMessage } from './components/StatusMessage/StatusMessage.ts';

export type { QrChunk };

let pending: Promise<QrChunk> | undefined;

export function qrChunkUrl(gatewayUrl: string): string {
  return `${gatewayUrl.replace(/\/+$/, '')}/1/pay/jsbutton/assets/${QR_CHUNK_FILE}`;
}

export function loadChunk(gatewayUrl: string, doc: Document = document): Promise<QrChunk> {
  const win = doc.defaultView as unknown as Record<string, unknown>;
  pending ??= new Promise<QrChunk>((resolve, reject) => {
    win[SHARED_GLOBAL] = { adoptStyles, callMerchant, statusMessage, svg, stateIcon };
    const script = doc.createElement('script');
    script.src = qrChunkUrl(gatewayUrl);
    script.async = true;
    script.onload = () => {
      const chunk = win[QR_GLOBAL] as QrChunk | undefined;
      if (chunk) resolve(chunk);
      else reject(new Error(`${QR_CHUNK_FILE} did not register itself`));
    };
    script.onerror = () => reject(new Error(`could not load ${script.src}`));
    doc.head.appendChild(script);
  }).catch((error: unknown) => {
    pending = undefined;
    throw error;
  });
  return pending;
}
