import { describe, expect, it } from 'vitest';
import { readDrawnQr } from '../testing/read-drawn-qr.ts';
import { encodeQr } from './qr-path.ts';

/** Draws the encoder's path the way QrPanel does (quiet zone, one dark path) and reads it back with jsQR. */
function readBack(text: string): string | null {
  const { size, path } = encodeQr(text);
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  svg.setAttribute('viewBox', `-4 -4 ${size + 8} ${size + 8}`);
  const dark = document.createElementNS('http://www.w3.org/2000/svg', 'path');
  dark.setAttribute('fill', '#000');
  dark.setAttribute('d', path);
  svg.appendChild(dark);
  return readDrawnQr(svg);
}

describe('encodeQr', () => {
  it.each([
    ['a WeChat native code_url', 'weixin://wxpay/bizpayurl?pr=AbC123xYz'],
    ['a sandbox scan page', 'http://127.0.0.1:43123/sandbox/wx/scan/0b6c1f8e-3d5a-4c1e-9a77-2f1e5b9d8c41'],
    ['an Alipay precreate link', 'https://qr.alipay.com/bax08431sxwqlaowhn1y0010'],
    ['digits and capitals (numeric and alphanumeric segments)', 'HTTPS://PAY.EXAMPLE.COM/1234567890123456'],
    ['non-ASCII text', 'https://pay.example.com/付款?title=扫码商品'],
  ])('draws %s so a reader reads it back', (_name, text) => {
    expect(readBack(text)).toBe(text);
  });

  it('uses at least level M: a 60-character link needs version 4 (33 modules) rather than level L’s version 3', () => {
    // Version 3-L holds 53 bytes, 3-M 42 and 4-M 62 in byte mode: 60 bytes at level M need version 4.
    expect(encodeQr('https://pay.example.com/' + 'x'.repeat(36)).size).toBe(33);
  });

  it('draws dark runs only inside the symbol', () => {
    const { size, path } = encodeQr('weixin://wxpay/bizpayurl?pr=AbC123xYz');
    for (const [, x, y, run] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\3z/g)) {
      expect(Number(x) + Number(run)).toBeLessThanOrEqual(size);
      expect(Number(y)).toBeLessThan(size);
    }
    expect(path.startsWith('M0 0h7v1h-7z')).toBe(true); // the top-left finder pattern's first row
  });
});
