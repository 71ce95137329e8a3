/**
 * The tests StrykerJS runs for each mutant (`npm run test:mutation`, stryker.config.mjs): only the test files
 * mutation-paths.json names for the mutated money and security paths (SPAY_MUTATE=<path>[,<path>…]: those paths' alone), so a
 * run stays within reach of a small machine.
 */
import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { paths } = JSON.parse(readFileSync(new URL('./mutation-paths.json', import.meta.url), 'utf8')) as {
  paths: Record<string, string[]>;
};
const only = process.env.SPAY_MUTATE?.split(',').filter(Boolean);
const testFiles = [...new Set((only ?? Object.keys(paths)).flatMap((path) => paths[path] ?? []))];
const widgetTests = testFiles.filter((file) => file.startsWith('widget/'));
const serverTests = testFiles.filter((file) => !file.startsWith('widget/'));

export default defineConfig({
  test: {
    projects: [
      ...(widgetTests.length === 0
        ? []
        : [{ test: { name: 'widget-validation', include: widgetTests, environment: 'node' as const } }]),
      ...(serverTests.length === 0
        ? []
        : [
            {
              test: {
                name: 'money-and-security',
                include: serverTests,
                environment: 'node' as const,
                testTimeout: 20000,
                // SPAY_MUTATION_SHARED_WORKER=1: the test files keep one worker from mutant to mutant (vitest's
                // `isolate: false`: modules imported once, not once a mutant). Only for tests that leave nothing
                // behind (the dispatcher's: webhook-dispatch-guarantees.test.ts).
                isolate: process.env.SPAY_MUTATION_SHARED_WORKER !== '1',
                // The test-only key for channel settings at rest that vitest.config.ts gives the gateway tests.
                env: { SPAY_SECRET_KEY: '7e57000000000000000000000000000000000000000000000000000000007e57' },
              },
            },
          ]),
    ],
  },
});
