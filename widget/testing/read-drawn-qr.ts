/**
 * Reads the QR code a panel drew, as a phone would: the SVG (a white quiet zone and one path of dark rectangles)
 * is rasterised to pixels and decoded by jsQR, an independent QR reader. Tests compare the text it reads with the
 * bill's code_url, so a code that encodes anything else — or is drawn wrong — fails.
 */
import jsQR from 'jsqr';

const PIXELS_PER_MODULE = 4;

/** Fills the rectangles a path of `M x y`, `h`/`v` (relative), `H`/`V` (absolute) and `z` draws, in module units. */
function darkRectangles(path: string): Array<{ x0: number; y0: number; x1: number; y1: number }> {
  const rectangles: Array<{ x0: number; y0: number; x1: number; y1: number }> = [];
  let x = 0;
  let y = 0;
  let points: Array<[number, number]> = [];
  for (const [, command, args] of path.matchAll(/([MmHhVvZz])([^MmHhVvZz]*)/g)) {
    const numbers =
      args!.trim() === ''
        ? []
        : args!
            .trim()
            .split(/[\s,]+/)
            .map(Number);
    switch (command) {
      case 'M':
        [x, y] = numbers as [number, number];
        points = [[x, y]];
        break;
      case 'm':
        x += numbers[0]!;
        y += numbers[1]!;
        points = [[x, y]];
        break;
      case 'h':
        x += numbers[0]!;
        points.push([x, y]);
        break;
      case 'H':
        x = numbers[0]!;
        points.push([x, y]);
        break;
      case 'v':
        y += numbers[0]!;
        points.push([x, y]);
        break;
      case 'V':
        y = numbers[0]!;
        points.push([x, y]);
        break;
      default: {
        const xs = points.map(([px]) => px);
        const ys = points.map(([, py]) => py);
        rectangles.push({
          x0: Math.min(...xs),
          y0: Math.min(...ys),
          x1: Math.max(...xs),
          y1: Math.max(...ys),
        });
        [x, y] = points[0]!;
        points = [];
      }
    }
  }
  return rectangles;
}

/** The text of the QR code drawn in `svg`, or null when no code can be read from it. */
export function readDrawnQr(svg: SVGSVGElement): string | null {
  const [minX, minY, width, height] = svg.getAttribute('viewBox')!.split(/\s+/).map(Number) as [
    number,
    number,
    number,
    number,
  ];
  const pixelWidth = width * PIXELS_PER_MODULE;
  const pixelHeight = height * PIXELS_PER_MODULE;
  const pixels = new Uint8ClampedArray(pixelWidth * pixelHeight * 4).fill(255);
  for (const drawn of svg.querySelectorAll('path')) {
    if (drawn.getAttribute('fill') !== '#000') continue;
    for (const { x0, y0, x1, y1 } of darkRectangles(drawn.getAttribute('d') ?? '')) {
      for (let py = (y0 - minY) * PIXELS_PER_MODULE; py < (y1 - minY) * PIXELS_PER_MODULE; py++) {
        for (let px = (x0 - minX) * PIXELS_PER_MODULE; px < (x1 - minX) * PIXELS_PER_MODULE; px++) {
          const at = (py * pixelWidth + px) * 4;
          pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
        }
      }
    }
  }
  return jsQR(pixels, pixelWidth, pixelHeight, { inversionAttempts: 'dontInvert' })?.data ?? null;
}
