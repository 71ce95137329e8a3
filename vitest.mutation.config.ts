/**
 * The tests StrykerJS runs for each mutant (`npm run test:mutation`, stryker.config.json): only the files that
 * exercise the mutated money and security paths, so a run stays within reach of a small machine.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'widget-validation',
          include: ['widget/validate.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'money-and-security',
          include: [
            'sdk/webhook.test.ts',
            'sdk/sign.test.ts',
            'gateway/webhooks/webhook-dispatcher.test.ts',
            'gateway/webhooks/webhook-delivery.test.ts',
            'gateway/webhooks/retry-schedule.test.ts',
            'gateway/core/refunds.test.ts',
            'gateway/button/button-sign.test.ts',
            'gateway/button/button-order.test.ts',
            'gateway/rest/app-auth.test.ts',
            'gateway/rest/request-signature.test.ts',
            'gateway/rest/refund-request.test.ts',
          ],
          environment: 'node',
          testTimeout: 20000,
        },
      },
    ],
  },
});
