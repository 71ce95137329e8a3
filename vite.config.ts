import { defineConfig } from 'vite';

/**
 * Builds the browser widget as classic scripts in dist/widget/:
 *   `vite build`            → spay.js, the first script (the gateway serves it after the BCConfig prelude at
 *                             /1/pay/jsbutton/returnscripts?appId=…);
 *   `vite build --mode qr`  → spay-qr.js, the lazy chunk (widget/qr/lazy.ts: the gateway client, the bill's
 *                             creation and every step after it — QR panel and encoder, JSAPI, redirect form —, rare
 *                             notices), loaded only once the payer picked a channel or a payment stopped (served at
 *                             /1/pay/jsbutton/assets/spay-qr.js). It renders with spay.js's Preact core, adoptStyles,
 *                             callMerchant and StatusMessage: `preact`, adopt-styles.ts, events.ts and
 *                             StatusMessage.tsx are external there, read from window.__spayPreact.
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
  'StatusMessage',
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
    // Classic JSX (`h` from preact's core) rather than preact/jsx-runtime: the same output, ~0.35 KB gzip less per script.
    oxc: {
      jsx: { runtime: 'classic', pragma: 'jsxElement' },
      jsxInject: `import { h as jsxElement } from 'preact'`,
    },
    build: {
      outDir: 'dist/widget',
      emptyOutDir: !qr,
      target: 'es2022',
      // terser (several compress passes, top-level names mangled inside the IIFE) beats the default oxc minifier
      // by ~70 bytes gzip on spay.js and ~150 in all (esbuild: +280 B, oxc: +140 B on spay.js, issue 15). Only
      // Preact's own internal property names (`__k`, `__e`, `_sb`…; never read by the chunk, which borrows Preact) are
      // mangled; every other property name is kept (public BC/BCConfig names, the objects shared with the chunk).
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
      // The chunk renders with the first script's Preact, adopts its styles with its adoptStyles and calls the
      // merchant with its callMerchant: all read from window.__spayPreact (qr-loader.ts lends them), one copy per page.
      rollupOptions: qr
        ? {
            external: (id: string) =>
              id === 'preact' || /\/(adopt-styles|events|StatusMessage)(\.tsx?)?$/.test(id),
            output: { globals: () => '__spayPreact' },
          }
        : undefined,
    },
  };
});
