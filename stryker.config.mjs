// Mutation testing of the money and security paths: `npm run test:mutation` (slow; not part of `npm test`).
// The paths and the tests run against each are in mutation-paths.json; `SPAY_MUTATE=<path> npm run test:mutation`
// runs one path alone (its own HTML report). Survivors reviewed in docs/mutation-survivors.md.
import { readFileSync } from 'node:fs';

const { paths } = JSON.parse(readFileSync(new URL('./mutation-paths.json', import.meta.url), 'utf8'));
const only = process.env.SPAY_MUTATE;
if (only !== undefined && !(only in paths)) {
  throw new Error(
    `SPAY_MUTATE=${only} is not one of the paths in mutation-paths.json: ${Object.keys(paths).join(', ')}`,
  );
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: only === undefined ? Object.keys(paths) : [only],
  coverageAnalysis: 'perTest',
  // One runner: the machine running this is usually shared, and the gateway tests start servers.
  concurrency: 1,
  timeoutMS: 20000,
  reporters: ['html', 'clear-text', 'progress'],
  htmlReporter: {
    fileName:
      only === undefined
        ? 'reports/mutation/index.html'
        : `reports/mutation/${only.replace(/[/.]/g, '-')}.html`,
  },
  tempDirName: '.stryker-tmp',
  thresholds: { high: 90, low: 80, break: null },
  ignoreStatic: true,
};
