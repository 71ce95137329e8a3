/**
 * `npm run size`: the widget's size budget (issues 3 and 15), measured on the built files in dist/widget (gzip -9):
 *   - the first script a page loads (the gateway's BCConfig prelude + spay.js) ≤ 8.2 KB (8.10 KB on 2026-12-03,
 *     issue 15, whose target is 11 KB: the first script has no Preact — the dialog's shell, the channel menu, the
 *     spinner and the network notice are plain DOM —, and the bill's creation, every step after it and the 优惠券
 *     row ship in the lazy chunk, with Preact; 11.90 KB before Preact left it);
 *   - everything the widget can ever load (spay.js + every lazily loaded chunk) ≤ 22 KB, issue 15's target
 *     (21.63 KB with Preact in the first script; 21.87 KB on 2026-12-03, with Preact in the chunk).
 * KB = 1024 bytes. Prints both figures; exits 1 when either budget is exceeded or the build is missing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { configPrelude } from '../gateway/button/widget-script.ts';

const KB = 1024;
const FIRST_SCRIPT_BUDGET = 8.2 * KB;
const EVERYTHING_BUDGET = 22 * KB;
const widgetDir = resolve(process.env.SPAY_WIDGET_DIR ?? 'dist/widget');
/** The prelude exactly as the gateway prepends it, for an app with the demo's channels behind a public gateway URL. */
const prelude = configPrelude(
  { appId: '00000000-0000-4000-8000-000000000000', channels: ['ali', 'wxmp', 'wx', 'un'], mode: 'test' },
  'https://pay.example.com',
);

function gzipBytes(text: string): number {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).length;
}

function kb(bytes: number): string {
  return `${(bytes / KB).toFixed(2)} KB (${bytes} bytes)`;
}

let files: string[];
try {
  files = (await readdir(widgetDir)).filter((name) => name.endsWith('.js')).sort();
} catch {
  console.error(`size: ${widgetDir} is missing; run npm run build first`);
  process.exit(1);
}
if (!files.includes('spay.js')) {
  console.error(`size: ${widgetDir}/spay.js is missing; run npm run build first`);
  process.exit(1);
}

const texts = new Map<string, string>();
for (const name of files) texts.set(name, await readFile(join(widgetDir, name), 'utf8'));

const first = gzipBytes(prelude + texts.get('spay.js')!);
// Each file is downloaded (and compressed) on its own, so the total is the sum of the files' gzip sizes.
const everything =
  first +
  files.filter((name) => name !== 'spay.js').reduce((sum, name) => sum + gzipBytes(texts.get(name)!), 0);

for (const name of files) console.log(`  ${name.padEnd(14)} ${kb(gzipBytes(texts.get(name)!))} gzip`);
console.log(`first script (prelude + spay.js): ${kb(first)} gzip — budget ${kb(FIRST_SCRIPT_BUDGET)}`);
console.log(`everything the widget can load:   ${kb(everything)} gzip — budget ${kb(EVERYTHING_BUDGET)}`);

const over: string[] = [];
if (first > FIRST_SCRIPT_BUDGET)
  over.push(`the first script is ${first - FIRST_SCRIPT_BUDGET} bytes over budget`);
if (everything > EVERYTHING_BUDGET)
  over.push(`everything together is ${everything - EVERYTHING_BUDGET} bytes over budget`);
if (over.length > 0) {
  console.error(`size: ${over.join('; ')}`);
  process.exit(1);
}
console.log('size: within budget');
