/**
 * Widget size: the first script a merchant page loads (the gateway's `var BCConfig = …;` prelude + spay.js) and
 * every file it can load later (the lazily loaded chunks in dist/widget), raw, gzip -9 and brotli (quality 11).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { configPrelude, widgetFileName } from '../gateway/button/widget-script.ts';
import { demoApp, repoRoot } from './lib/demo-app.ts';

export interface SizeRow {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

export interface WidgetSizeResult {
  firstScript: SizeRow;
  chunks: SizeRow[];
  /** The first script plus every chunk, each compressed on its own as it is downloaded. */
  everything: SizeRow;
}

function measure(file: string, text: string): SizeRow {
  const bytes = Buffer.from(text, 'utf8');
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }).length,
  };
}

export function measureWidgetSize(widgetDir = join(repoRoot, 'dist/widget')): WidgetSizeResult {
  const files = readdirSync(widgetDir).filter((name) => name.endsWith('.js'));
  if (!files.includes(widgetFileName))
    throw new Error(`${widgetDir}/${widgetFileName} is missing: npm run build`);
  const app = demoApp();
  const prelude = configPrelude(
    { appId: app.appId, channels: app.channels, mode: app.mode },
    'https://pay.example.com',
  );
  const firstScript = measure(
    `prelude + ${widgetFileName}`,
    prelude + readFileSync(join(widgetDir, widgetFileName), 'utf8'),
  );
  const chunks = files
    .filter((name) => name !== widgetFileName)
    .sort()
    .map((name) => measure(name, readFileSync(join(widgetDir, name), 'utf8')));
  const everything = [firstScript, ...chunks].reduce(
    (sum, row) => ({
      file: 'everything',
      raw: sum.raw + row.raw,
      gzip: sum.gzip + row.gzip,
      brotli: sum.brotli + row.brotli,
    }),
    { file: 'everything', raw: 0, gzip: 0, brotli: 0 },
  );
  return { firstScript, chunks, everything };
}
