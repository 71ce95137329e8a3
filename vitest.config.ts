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
        plugins: [preact()],
        test: {
          name: 'console',
          include: ['console/**/*.test.{ts,tsx}'],
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
          // *.postgres.test.ts need the cluster of `npm run test:postgres` (vitest.postgres.config.ts).
          exclude: ['**/node_modules/**', '**/*.postgres.test.ts'],
          environment: 'node',
          testTimeout: 20000,
          // A test-only key for channel settings at rest (gateways in tests would each generate one, with a warning).
          env: { SPAY_SECRET_KEY: '7e57000000000000000000000000000000000000000000000000000000007e57' },
        },
      },
    ],
  },
});
