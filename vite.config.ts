import { defineConfig } from 'vite';

/**
 * Builds the browser widget as classic scripts in dist/widget/:
 *   `vite build`            → spay.js, the first script (the gateway serves it after the BCConfig prelude at
 *                             /1/pay/jsbutton/returnscripts?appId=…);
 *   `vite build --mode qr`  → spay-qr.js, the QR panel and encoder, loaded only when a payer picks WeChat's QR payment
 *                             (served at /1/pay/jsbutton/assets/spay-qr.js). It renders with spay.js's Preact
 *                             core and adoptStyles: `preact` and adopt-styles.ts are external there, read from
 *                             window.__spayPreact.
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
      minify: true,
      sourcemap: false,
      lib: {
        entry: qr ? 'widget/qr/chunk.ts' : 'widget/index.ts',
        name: qr ? 'spayQr' : 'spayWidget',
        formats: ['iife'],
        fileName: () => (qr ? 'spay-qr.js' : 'spay.js'),
      },
      // The chunk renders with the first script's Preact and adopts its styles with the first script's
      // adoptStyles: both read from window.__spayPreact (qr-loader.ts lends them), one copy per page.
      rollupOptions: qr
        ? {
            external: (id: string) => id === 'preact' || /adopt-styles(\.ts)?$/.test(id),
            output: { globals: () => '__spayPreact' },
          }
        : undefined,
    },
  };
});
