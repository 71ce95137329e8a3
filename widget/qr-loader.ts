/**
 * Loads the lazy chunk (the QR panel and the payer notices' texts) once, as a classic script from the gateway (`/1/pay/jsbutton/assets/spay-qr.js`), after
 * lending it this script's Preact (`h`, `Component`).
 */
import { Component, h } from 'preact';
import type { QrPanel } from './components/QrPanel/QrPanel.tsx';
import type { NoticeFinder } from './notices.ts';
import type { QrChunk } from './qr/chunk.ts';
import { PREACT_GLOBAL, QR_CHUNK_FILE, QR_GLOBAL } from './qr/qr-global.ts';

export type QrPanelComponent = typeof QrPanel;

let pending: Promise<QrChunk> | undefined;

export function qrChunkUrl(gatewayUrl: string): string {
  return `${gatewayUrl.replace(/\/+$/, '')}/1/pay/jsbutton/assets/${QR_CHUNK_FILE}`;
}

export function loadQrPanel(gatewayUrl: string, doc: Document = document): Promise<QrPanelComponent> {
  return loadChunk(gatewayUrl, doc).then((chunk) => chunk.QrPanel);
}

export function loadNotices(gatewayUrl: string, doc: Document = document): Promise<NoticeFinder> {
  return loadChunk(gatewayUrl, doc).then((chunk) => chunk.notices);
}

function loadChunk(gatewayUrl: string, doc: Document): Promise<QrChunk> {
  const win = doc.defaultView as unknown as Record<string, unknown>;
  pending ??= new Promise<QrChunk>((resolve, reject) => {
    win[PREACT_GLOBAL] = { h, Component };
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
