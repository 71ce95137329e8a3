// Typings for the one part of `qrcode` the widget bundles: its encoder core, without the canvas/terminal renderers.
declare module 'qrcode/lib/core/qrcode.js' {
  export interface QrModules {
    size: number;
    data: Uint8Array;
    get(row: number, column: number): number | boolean;
  }
  export function create(
    text: string,
    options?: { errorCorrectionLevel?: 'L' | 'M' | 'Q' | 'H' },
  ): { modules: QrModules; version: number };
}
