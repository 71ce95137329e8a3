import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

export default defineConfig({
  test: {
    projects: [
      {
        plugins: [preact()],
        test: {
          name: 'widget',
          include: ['widget/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
        },
      },
      {
        test: {
          name: 'server',
          include: [
            'gateway/**/*.test.ts',
            'sdk/**/*.test.ts',
            'demo-server/**/*.test.ts',
            'bench/**/*.test.ts',
            'simulators/**/*.test.ts',
            'scripts/**/*.test.ts',
            'simulators/**/*.test.ts',
          ],
          environment: 'node',
          testTimeout: 20000,
        },
      },
    ],
  },
});
