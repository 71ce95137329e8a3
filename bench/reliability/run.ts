/**
 * `npm run test:reliability` (after `npm run build`): the reliability scenarios one after the other, each
 * printing what it tried and what held, then a summary. Exits 1 when anything did not hold.
 *   SPAY_RELIABILITY_ONLY=crash,outage,load,fuzz-click,fuzz-rest,security,ssrf,huge-answers,slow-receiver,
 *                         slow-clients,migration-kill,crash-alipay,instances run a subset
 *   SPAY_FUZZ_SEED=N                                                       replay a fuzz run
 *   SPAY_CRASH_SEED=N                          replay the kill moments of crash, crash-alipay and instances
 *   SPAY_RELIABILITY_SEED=N                                                replay migration-kill's kill moments
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appSecrets, demoApp, repoRoot } from '../lib/demo-app.ts';
import { observedResponses } from '../lib/rest-requests.ts';
import { crashAlipayScenario } from './crash-alipay.ts';
import { crashScenario } from './crash.ts';
import { instancesKillScenario } from './instances-kill.ts';
import { clickFuzzScenario } from './fuzz-click.ts';
import { restFuzzScenario } from './fuzz-rest.ts';
import type { CheckResult, Checks } from './lib/checks.ts';
import { loadScenario } from './load.ts';
import { migrationKillScenario } from './migration-kill.ts';
import { outageScenario } from './outage.ts';
import { hugeAnswersScenario, slowReceiverScenario, ssrfScenario } from './hostile-receivers.ts';
import { securityScenario } from './security.ts';
import { slowClientsScenario } from './slow-clients.ts';

const scenarios: [string, () => Promise<Checks>][] = [
  ['crash', () => crashScenario(500, 3)],
  ['outage', () => outageScenario(100, 6000)],
  ['load', () => loadScenario(200, 30)],
  ['fuzz-click', () => clickFuzzScenario(2000, 300)],
  ['fuzz-rest', () => restFuzzScenario(1500)],
  ['security', () => securityScenario()],
  ['ssrf', () => ssrfScenario()],
  ['huge-answers', () => hugeAnswersScenario(16, 400)],
  ['slow-receiver', () => slowReceiverScenario(40, 10)],
  ['slow-clients', () => slowClientsScenario(1100)],
  ['migration-kill', () => migrationKillScenario(12)],
  ['crash-alipay', () => crashAlipayScenario(60, 20, 2)],
  ['instances', () => instancesKillScenario(120, 6)],
];
const only = process.env.SPAY_RELIABILITY_ONLY?.split(',');
const results: CheckResult[] = [];

// Every answer any scenario receives is scanned for the app's secrets as it arrives.
const secrets = appSecrets(demoApp()).flatMap((secret) =>
  secret.startsWith('whsec_') ? [secret, secret.slice('whsec_'.length)] : [secret],
);
let responsesScanned = 0;
const leaks: string[] = [];
observedResponses.listener = (source, text) => {
  responsesScanned += 1;
  if (secrets.some((secret) => text.includes(secret))) leaks.push(source);
};
const startedAt = Date.now();
for (const [name, run] of scenarios) {
  if (only && !only.includes(name)) continue;
  const began = Date.now();
  console.log(`\n== ${name}`);
  try {
    results.push(...(await run()).results);
  } catch (error) {
    console.log(
      `  [${name}] FAILED the scenario stopped: ${error instanceof Error ? error.stack : String(error)}`,
    );
    results.push({
      scenario: name,
      name: 'the scenario ran to the end',
      held: false,
      figures: String(error),
    });
  }
  console.log(`  (${((Date.now() - began) / 1000).toFixed(1)} s)`);
}
results.push({
  scenario: 'all',
  name: 'no secret in any answer of the whole suite',
  held: leaks.length === 0 && responsesScanned > 0,
  figures: `${responsesScanned} answers scanned, ${leaks.length} with a secret${leaks[0] ? ` (first: ${leaks[0]})` : ''}`,
});
console.log(
  `\n== all\n  [all] ${leaks.length === 0 ? 'held  ' : 'FAILED'} ${results.at(-1)!.name} — ${results.at(-1)!.figures}`,
);
const failed = results.filter((result) => !result.held);
const seconds = Math.round((Date.now() - startedAt) / 1000);
if (!only) {
  writeFileSync(
    join(repoRoot, 'bench/reliability-results.json'),
    JSON.stringify({ date: new Date().toISOString(), seconds, results }, null, 2) + '\n',
  );
}
console.log(`\n${results.length - failed.length}/${results.length} checks held in ${seconds} s`);
for (const result of failed) console.log(`  FAILED [${result.scenario}] ${result.name} — ${result.figures}`);
console.log(`reliability: ${results.length - failed.length} passed, ${failed.length} failed`);
process.exit(failed.length === 0 ? 0 : 1);
