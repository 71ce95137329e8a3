import { defineConfig } from 'vite';
import preact from '@preact/preset-vite';

// Builds the browser widget into one classic script, dist/widget/spay.js, which the gateway serves
// after the BCConfig prelude at /1/pay/jsbutton/returnscripts?appId=….
export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist/widget',
    emptyOutDir: true,
    target: 'es2019',
    lib: {
      entry: 'widget/index.ts',
      name: 'spayWidget',
      formats: ['iife'],
      fileName: () => 'spay.js',
    },
  },
});
