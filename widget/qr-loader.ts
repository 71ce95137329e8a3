/**
 * Loads the QR chunk once, as a classic script from the gateway (`/1/pay/jsbutton/assets/spay-qr.js`), after
 * lending it this script's Preact (`h`, `Component`).
 */
import { Component, h } from 'preact';
import type { QrPanel } from './components/QrPanel/QrPanel.tsx';
import type { QrChunk } from './qr/chunk.ts';
import { PREACT_GLOBAL, QR_CHUNK_FILE, QR_GLOBAL } from './qr/qr-global.ts';

export type QrPanelComponent = typeof QrPanel;

let pending: Promise<QrPanelComponent> | undefined;

export function qrChunkUrl(gatewayUrl: string): string {
  return `${gatewayUrl.replace(/\/+$/, '')}/1/pay/jsbutton/assets/${QR_CHUNK_FILE}`;
}

export function loadQrPanel(gatewayUrl: string, doc: Document = document): Promise<QrPanelComponent> {
  const win = doc.defaultView as unknown as Record<string, unknown>;
  pending ??= new Promise<QrPanelComponent>((resolve, reject) => {
    win[PREACT_GLOBAL] = { h, Component };
    const script = doc.createElement('script');
    script.src = qrChunkUrl(gatewayUrl);
    script.async = true;
    script.onload = () => {
      const chunk = win[QR_GLOBAL] as QrChunk | undefined;
      if (chunk) resolve(chunk.QrPanel);
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
