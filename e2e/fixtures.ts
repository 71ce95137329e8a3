/**
 * The Playwright fixture every e2e test uses: `stack` is one running gateway + demo merchant per worker.
 *   import { test, expect } from './fixtures.ts';
 *   test('…', async ({ page, stack }) => { await page.goto(stack.demoUrl); … });
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
