import { defineConfig } from 'vite';

/**
 * Builds the browser widget as classic scripts in dist/widget/:
 *   `vite build`            → spay.js, the first script (the gateway serves it after the BCConfig prelude at
 *                             /1/pay/jsbutton/returnscripts?appId=…): BC, BC.click's checks, events, and the dialog's
 *                             shell, channel menu, spinner and network notice in plain DOM — no Preact (issue 15);
 *   `vite build --mode qr`  → spay-qr.js, the lazy chunk (widget/qr/lazy.ts: Preact, the gateway client, the bill's
 *                             creation and every step after it — QR panel and encoder, JSAPI, redirect form —, rare
 *                             notices, the 优惠券 row), loaded only once the payer picked a channel or a payment
 *                             stopped (served at /1/pay/jsbutton/assets/spay-qr.js). It borrows spay.js's
 *                             adoptStyles, callMerchant, statusMessage, DOM helpers and icons: adopt-styles.ts,
 *                             events.ts, StatusMessage.ts, ui/dom.ts and components/icons.ts are external there, read
 *                             from window.__spayShared.
 * SPAY_MAP=1 adds source maps (for a bundle analysis: which module the bytes come from).
 * `npm run build` runs both.
 */
/**
 * Property names used only inside the widget's own objects (Order's camelCase fields, Checkout's props and
 * methods, Platform, Messages' static keys, the chunk offer and what the first script lends it, the QR chunk's
 * internals), mangled in both builds with one fixed map so spay.js and spay-qr.js agree (issue 15: ~0.1 KB gzip
 * on each). Never listed: public names (BC, BCConfig, ClickEvents, event details), wire fields (the gateway's JSON,
 * orderBody's keys), Preact's API (`props`, `state`, `on*`…), DOM names, merchant data read by a literal name
 * (`title`, `amount`, `locale`, `debug`…) and keys read with a computed name (`messages[action]`, NOTICES' keys).
 */
export const INTERNAL_PROPERTIES = [
  'outTradeNo',
  'signType',
  'returnUrl',
  'instantChannel',
  'needAliGuide',
  'useApp',
  'billTimeout',
  'buyerId',
  'couponId',
  'initialError',
  'environment',
  'callbacks',
  'platform',
  'messages',
  'channelLabel',
  'creating',
  'navigate',
  'submitForm',
  'loadChunk',
  'creation',
  'timers',
  'emit',
  'trouble',
  'fail',
  'focusKey',
  'focusFirst',
  'closeLabel',
  'chosen',
  'loadCoupons',
  'couponMenu',
  'notices',
  'adoptStyles',
  'callMerchant',
  'stateIcon',
  'drawCoupons',
  'liveRegion',
  'drawn',
  'dialog',
  'statusStreamUrl',
  'billStatus',
  'createBill',
  'openStream',
  'secondsLeft',
  'shownAt',
  'linkCopied',
  'copyLink',
  'paymentLink',
  'waitingWechat',
  'returning',
  'minutesLeft',
  'slowMs',
  'slowAfterMs',
  'fastMs',
  'maxErrorMs',
  'paidPauseMs',
  'chunk',
  'client',
];

/** `$a`, `$b`… for INTERNAL_PROPERTIES, in terser's name-cache form (terser avoids these when it names the rest). */
function internalNameCache(): { props: { props: Record<string, string> } } {
  const letters = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
  const props: Record<string, string> = {};
  INTERNAL_PROPERTIES.forEach((name, index) => {
    props[`$${name}`] = `$${letters[index % 52]}${index < 52 ? '' : Math.floor(index / 52)}`;
  });
  return { props: { props } };
}

export default defineConfig(({ mode }) => {
  const qr = mode === 'qr';
  return {
    // Classic JSX (`h` from preact's core) rather than preact/jsx-runtime: the same output, ~0.35 KB gzip less. Only
    // the chunk has JSX: the injected import would put Preact's core (its side effects) in the plain-DOM first script.
    oxc: {
      jsx: { runtime: 'classic', pragma: 'jsxElement' },
      jsxInject: qr ? `import { h as jsxElement } from 'preact'` : undefined,
    },
    build: {
      outDir: 'dist/widget',
      emptyOutDir: !qr,
      target: 'es2022',
      // terser (several compress passes, top-level names mangled inside the IIFE) beats the default oxc minifier
      // by ~70 bytes gzip on spay.js and ~150 in all (esbuild: +280 B, oxc: +140 B on spay.js, issue 15). Only
      // Preact's own internal property names (`__k`, `__e`, `_sb`…; Preact lives in the chunk alone) and
      // INTERNAL_PROPERTIES are mangled; every other property name is kept (public BC/BCConfig names, DOM names).
      minify: 'terser',
      terserOptions: {
        ecma: 2020,
        compress: { passes: 3, pure_getters: true },
        mangle: {
          toplevel: true,
          properties: { regex: new RegExp(`^(__[a-zA-Z]?|_sb|${INTERNAL_PROPERTIES.join('|')})$`) },
        },
        nameCache: internalNameCache(),
      },
      sourcemap: !!process.env.SPAY_MAP,
      lib: {
        entry: qr ? 'widget/qr/chunk.ts' : 'widget/index.ts',
        name: qr ? 'spayQr' : 'spayWidget',
        formats: ['iife'],
        fileName: () => (qr ? 'spay-qr.js' : 'spay.js'),
      },
      // The chunk adopts its styles with the first script's adoptStyles, calls the merchant with its callMerchant and
      // draws its DOM-only states with its statusMessage, DOM helpers and icons: all read from window.__spayShared
      // (qr-loader.ts lends them), one copy per page.
      rollupOptions: qr
        ? {
            external: (id: string) =>
              /\/(adopt-styles|events|StatusMessage|ui\/dom|components\/icons)(\.ts)?$/.test(id),
            output: { globals: () => '__spayShared' },
          }
        : undefined,
    },
  };
});
