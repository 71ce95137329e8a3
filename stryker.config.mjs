// Mutation testing of the money and security paths: `npm run test:mutation` (slow; not part of `npm test`).
// The paths and the tests run against each are in mutation-paths.json; `SPAY_MUTATE=<path> npm run test:mutation`
// runs one path alone (its own HTML report; several: comma-separated). Survivors reviewed in docs/mutation-survivors.md.
import { readFileSync } from 'node:fs';

const { paths } = JSON.parse(readFileSync(new URL('./mutation-paths.json', import.meta.url), 'utf8'));
const only = process.env.SPAY_MUTATE?.split(',').filter(Boolean);
const unknown = (only ?? []).filter((path) => !(path in paths));
if (unknown.length > 0) {
  throw new Error(
    `SPAY_MUTATE: ${unknown.join(', ')} not in mutation-paths.json (${Object.keys(paths).join(', ')})`,
  );
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: only ?? Object.keys(paths),
  coverageAnalysis: 'perTest',
  // One runner: the machine running this is usually shared, and the gateway tests start servers.
  concurrency: 1,
  timeoutMS: 20000,
  reporters: ['html', 'clear-text', 'progress'],
  htmlReporter: {
    fileName:
      only === undefined
        ? 'reports/mutation/index.html'
        : `reports/mutation/${only.join('+').replace(/[/.]/g, '-')}.html`,
  },
  tempDirName: '.stryker-tmp',
  thresholds: { high: 90, low: 80, break: null },
  ignoreStatic: true,
};
