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
        mangle: { toplevel: true, properties: { regex: /^(__[a-zA-Z]?|_sb)$/ } },
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
