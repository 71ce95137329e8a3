/**
 * Fixtures for the merchant console specs: the whole stack (startStack) plus a console operator created on its
 * gateway, a merchant webhook receiver answering "success", and helpers (sign in, axe check).
 */
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { createConsoleOperator } from './console-operator.ts';
import { startStack, type Stack } from './stack.ts';

export interface ConsoleStack extends Stack {
  operator: { name: string; password: string };
  /** The merchant's webhook receiver (answers "success"), on the merchant origin. */
  webhookUrl: string;
}

export const test = base.extend<object, { consoleStack: ConsoleStack }>({
  consoleStack: [
    async ({}, use) => {
      const stack = await startStack();
      const operator = await createConsoleOperator(stack, 'e2e-operator');
      const webhookUrl = stack.merchant.serve('/webhook', { html: 'success' });
      await use({ ...stack, operator, webhookUrl });
      await stack.stop();
    },
    { scope: 'worker' },
  ],
});

export { expect };

/** No axe violation (WCAG 2.1 A/AA and best practices) on the page as it is now. */
export async function expectAccessible(page: Page, label: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'])
    .analyze();
  expect(
    results.violations.map((violation) => ({
      page: label,
      id: violation.id,
      help: violation.help,
      nodes: violation.nodes.map((node) => node.target.join(' ')).slice(0, 5),
    })),
  ).toEqual([]);
}

export async function signIn(page: Page, stack: ConsoleStack): Promise<void> {
  await page.goto(`${stack.gatewayUrl}/console/`);
  await page.getByLabel(/Username|用户名/).fill(stack.operator.name);
  await page.getByLabel(/Password|密码/).fill(stack.operator.password);
  await page.getByRole('button', { name: /^(Sign in|登录)$/ }).click();
  await expect(page.locator('#console-nav')).toBeAttached();
}
