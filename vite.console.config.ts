import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/**
 * Builds the merchant console (console/) into dist/console/, served by the gateway at /console/
 * (gateway/console/console-pages.ts): index.html (the app) and preview.html (the button preview the 秒支付 page
 * frames), with content-hashed assets under assets/. No inline script or style: the gateway's CSP forbids them.
 * `npm run build` runs it after the widget's two builds.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, 'console'),
  base: '/console/',
  plugins: [preact()],
  build: {
    outDir: resolve(import.meta.dirname, 'dist/console'),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // Inline assets would be data: URLs in CSS/JS; keep every asset a file under the strict CSP.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        index: resolve(import.meta.dirname, 'console/index.html'),
        preview: resolve(import.meta.dirname, 'console/preview.html'),
      },
    },
  },
});
