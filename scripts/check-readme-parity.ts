/**
 * `npm run readme-parity` (part of `npm test`): every README with a Chinese translation has the same headings in
 * both languages (scripts/readme-parity.ts says how a Chinese heading names its English one). Prints each problem
 * and exits 1 when there is one.
 */
import { readFile } from 'node:fs/promises';
import { parityProblems } from './readme-parity.ts';

export const TRANSLATED_READMES: [english: string, translation: string][] = [
  ['README.md', 'README.zh-CN.md'],
  ['widget/README.md', 'widget/README.zh-CN.md'],
  ['sdk/README.md', 'sdk/README.zh-CN.md'],
];

const problems: string[] = [];
for (const [englishPath, translationPath] of TRANSLATED_READMES) {
  const [english, translation] = await Promise.all([
    readFile(englishPath, 'utf8'),
    readFile(translationPath, 'utf8').catch(() => ''),
  ]);
  if (!translation) {
    problems.push(`${translationPath} is missing (the Chinese translation of ${englishPath})`);
    continue;
  }
  problems.push(...parityProblems({ englishPath, translationPath, english, translation }));
}
for (const problem of problems) console.error(`readme parity: ${problem}`);
if (problems.length > 0) process.exit(1);
console.log(`readme parity: ${TRANSLATED_READMES.length} READMEs match their Chinese translations`);
