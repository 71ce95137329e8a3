/** Inline SVG icons (no image host): decorative, hidden from assistive technology. */
import { channelFamily, type ChannelCode } from '../channels.ts';

export function CloseIcon() {
  return (
    <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true">
      <path
        d="M4 4l12 12M16 4L4 16"
        stroke="currentColor"
        stroke-width="2"
        stroke-linecap="round"
        fill="none"
      />
    </svg>
  );
}

export function SuccessIcon() {
  return (
    <svg class="state-icon success" viewBox="0 0 56 56" aria-hidden="true">
      <circle cx="28" cy="28" r="26" fill="none" stroke="currentColor" stroke-width="4" />
      <path d="M16 29l8 8 16-18" fill="none" stroke="currentColor" stroke-width="4" stroke-linecap="round" />
    </svg>
  );
}

export function WarningIcon() {
  return (
    <svg class="state-icon danger" viewBox="0 0 56 56" aria-hidden="true">
      <circle cx="28" cy="28" r="26" fill="none" stroke="currentColor" stroke-width="4" />
      <path d="M28 14v18" stroke="currentColor" stroke-width="4" stroke-linecap="round" />
      <circle cx="28" cy="41" r="3" fill="currentColor" />
    </svg>
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
export function ChannelIcon({ code }: { code: ChannelCode }) {
  const brand = BRAND[channelFamily(code)];
  return (
    <svg class="brand" viewBox="0 0 32 32" aria-hidden="true">
      <rect width="32" height="32" rx="8" fill={brand.slice(0, 7)} />
      <text x="16" y="21.5" text-anchor="middle" font-size="15" font-weight="700" fill="#fff">
        {brand.slice(7)}
      </text>
    </svg>
  );
}
