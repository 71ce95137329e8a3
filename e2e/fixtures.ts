/**
 * The Playwright fixture every e2e test uses: `stack` is one running gateway + demo merchant per worker.
 *   import { test, expect } from './fixtures.ts';
 *   test('…', async ({ page, stack }) => { await page.goto(stack.demoUrl); … });
 * Host pages of a test's own (hostile CSS, strict CSP, the seed's markup): `stack.merchant.serve(path, {html, headers})`
 * serves them from a third origin on 127.0.0.1. Do not fake a merchant origin with page.route: Chromium's Private
 * Network Access then blocks the page from loading the widget script from the gateway on 127.0.0.1.
 */
import { test as base, expect } from '@playwright/test';
import { startStack, type Stack } from './stack.ts';

export const test = base.extend<object, { stack: Stack }>({
  stack: [
    async ({}, use) => {
      const stack = await startStack();
      await use(stack);
      await stack.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect };
