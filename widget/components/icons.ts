/** Inline SVG icons (no image host): decorative, hidden from assistive technology. Plain DOM (ui/dom.ts). */
import { channelFamily, type ChannelCode } from '../channels.ts';
import { svg } from '../ui/dom.ts';

const HIDDEN = 'aria-hidden';
const ROUND = { fill: 'none', stroke: 'currentColor', 'stroke-width': 4, 'stroke-linecap': 'round' };

export function closeIcon(): SVGElement {
  return svg(
    'svg',
    { width: 20, height: 20, viewBox: '0 0 20 20', [HIDDEN]: 'true' },
    svg('path', { d: 'M4 4l12 12M16 4L4 16', ...ROUND, 'stroke-width': 2 }),
  );
}

/** A state's round mark (the warning's here; the paid state's in the lazy chunk): a circle and `marks`. */
export function stateIcon(kind: 'success' | 'danger', ...marks: SVGElement[]): SVGElement {
  return svg(
    'svg',
    { class: `state-icon ${kind}`, viewBox: '0 0 56 56', [HIDDEN]: 'true' },
    svg('circle', { cx: 28, cy: 28, r: 26, ...ROUND }),
    ...marks,
  );
}

export function warningIcon(): SVGElement {
  return stateIcon(
    'danger',
    svg('path', { d: 'M28 14v18', ...ROUND }),
    svg('circle', { cx: 28, cy: 41, r: 3, fill: 'currentColor' }),
  );
}

/** Brand colour and first character of each channel family. */
const BRAND: Record<string, string> = {
  ali: '#1677ff支',
  wx: '#07a35a微',
  un: '#d7000f银',
  jd: '#e1251b京',
  bd: '#2932e1百',
  yee: '#c8102e易',
  kuaiqian: '#d97a00快',
};

/** A round badge in the channel's brand colour with its first character: recognisable without external logos. */
export function channelIcon(code: ChannelCode): SVGElement {
  const brand = BRAND[channelFamily(code)];
  return svg(
    'svg',
    { class: 'brand', viewBox: '0 0 32 32', [HIDDEN]: 'true' },
    svg('rect', { width: 32, height: 32, rx: 8, fill: brand.slice(0, 7) }),
    svg(
      'text',
      { x: 16, y: 21.5, 'text-anchor': 'middle', 'font-size': 15, 'font-weight': 700, fill: '#fff' },
      brand.slice(7),
    ),
  );
}
