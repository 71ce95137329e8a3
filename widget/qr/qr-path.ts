/** Encodes a payment link as a QR code and draws it as one SVG path (dark modules merged into horizontal runs). */
import { create } from 'qrcode/lib/core/qrcode.js';

export interface QrDrawing {
  /** Modules per side, without the quiet zone. */
  size: number;
  /** SVG path data in module units, for a viewBox of `-4 -4 size+8 size+8` (4-module quiet zone). */
  path: string;
}

export type QrEncoder = (text: string) => QrDrawing;

export const encodeQr: QrEncoder = (text) => {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  const { size, data } = modules;
  let path = '';
  for (let row = 0; row < size; row++) {
    let column = 0;
    while (column < size) {
      if (!data[row * size + column]) {
        column++;
        continue;
      }
      let run = 1;
      while (column + run < size && data[row * size + column + run]) run++;
      path += `M${column} ${row}h${run}v1h-${run}z`;
      column += run;
    }
  }
  return { size, path };
};
