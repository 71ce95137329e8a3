/**
 * Loads the lazy chunk (qr/lazy.ts: the bill's creation and what follows it, the payer notices' texts, the
 * hidden form) once, as a classic script from the gateway (`/1/pay/jsbutton/assets/spay-qr.js`), after lending it
 * this script's Preact (`h`, `Component`), adoptStyles, callMerchant and StatusMessage (vite.config.ts).
 */
import { Component, h } from 'preact';
import type { QrChunk } from './qr/lazy.ts';
import { PREACT_GLOBAL, QR_CHUNK_FILE, QR_GLOBAL } from './qr/qr-global.ts';
import { callMerchant } from './events.ts';
import { adoptStyles } from './ui/adopt-styles.ts';
import { StatusMessage } from './components/StatusMessage/StatusMessage.tsx';

export type { QrChunk };

let pending: Promise<QrChunk> | undefined;

export function qrChunkUrl(gatewayUrl: string): string {
  return `${gatewayUrl.replace(/\/+$/, '')}/1/pay/jsbutton/assets/${QR_CHUNK_FILE}`;
}

export function loadChunk(gatewayUrl: string, doc: Document = document): Promise<QrChunk> {
  const win = doc.defaultView as unknown as Record<string, unknown>;
  pending ??= new Promise<QrChunk>((resolve, reject) => {
    win[PREACT_GLOBAL] = { h, Component, adoptStyles, callMerchant, StatusMessage };
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
