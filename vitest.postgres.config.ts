/**
 * `npm run test:postgres`: the gateway's store and core tests again, on PostgreSQL. One throw-away cluster for
 * the run (gateway/testing/postgres-global-setup.ts); every test gateway or store gets a database of its own.
 * Only the files about storage, the core's rules, refunds, webhooks and concurrency — the rest of the suite does
 * not depend on the engine.
 */
import { defineConfig } from 'vitest/config';

export const postgresTestFiles = [
  'gateway/**/*.postgres.test.ts',
  'gateway/core/**/*.test.ts',
  'gateway/bills/multi-attempt.test.ts',
  'gateway/refunds/refund-api.test.ts',
  'gateway/rest/rest-bills.test.ts',
  'gateway/rest/rest-subscriptions.test.ts',
  'gateway/webhooks/webhook-dispatcher.test.ts',
  'gateway/webhooks/webhook-dispatch-guarantees.test.ts',
  'gateway/webhooks/webhook-dispatch-passes.test.ts',
  'gateway/webhooks/webhook-delivery.test.ts',
  'gateway/webhooks/webhook-resend.test.ts',
  'gateway/webhooks/outbox-leases.test.ts',
  'gateway/webhooks/outbox-due.test.ts',
  'gateway/console/console-api.test.ts',
  'gateway/console/console-security.test.ts',
];

export default defineConfig({
  test: {
    name: 'postgres',
    include: postgresTestFiles,
    environment: 'node',
    globalSetup: ['gateway/testing/postgres-global-setup.ts'],
    env: {
      SPAY_TEST_DATABASE: 'postgres',
      SPAY_SECRET_KEY: '7e57000000000000000000000000000000000000000000000000000000007e57',
    },
    testTimeout: 30000,
    hookTimeout: 30000,
  },
});
