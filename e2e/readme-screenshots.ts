/**
 * The README's screenshots (docs/screenshots/*.png) are checked against what the widget draws today, so a UI change
 * that makes a README picture untrue fails the e2e run.
 *
 * - `SPAY_UPDATE_SCREENSHOTS=1`: the pictures are (re)written to docs/screenshots, with the fonts they were drawn
 *   with (docs/screenshots/fonts.txt: a fingerprint of the machine's font files, and what the generic families
 *   resolve to). Needs CJK fonts: the Chinese UI is pictured with real glyphs, never with boxes.
 * - Otherwise the page is compared pixel by pixel (pixelmatch, anti-aliasing ignored) with the committed picture,
 *   the parts that differ on every run (the QR code of a new bill, the countdown) blanked in both. Text is drawn
 *   with whatever fonts the machine has, so the comparison is made only on a machine with the same fonts as the
 *   committed pictures (same fingerprint); elsewhere (no CJK fonts, other fonts) the test records in its
 *   annotations that it did not compare, and why.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import type { Locator, Page } from '@playwright/test';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { cjkFontsInstalled } from '../scripts/test-prerequisites.ts';
import { test } from './host-pages/widget-fixtures.ts';

/** Per-pixel colour distance pixelmatch tolerates (0–1). */
const colourThreshold = 0.1;
/** Pixels allowed to differ after that, as a share of the picture: a glyph's hinting, not a changed UI. */
const maxDifferingShare = 0.001;

export const refreshHint =
  "If the change is intended, refresh the README's pictures on a machine with CJK fonts: " +
  "SPAY_UPDATE_SCREENSHOTS=1 npx playwright test e2e/widget-qr.spec.ts -g 'screenshots for the README'";

const fontsFile = 'docs/screenshots/fonts.txt';

/** The machine's font files (fontconfig), as a fingerprint line and what the page's generic families resolve to. */
export function machineFonts(): { fingerprint: string; description: string } {
  const listing = spawnSync('fc-list', ['--format', '%{file}\n'], { encoding: 'utf8', timeout: 30_000 });
  const files = listing.status === 0 ? [...new Set(listing.stdout.split('\n').filter(Boolean))].sort() : [];
  const fingerprint = createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
  const families = ['serif', 'sans-serif', 'system-ui', 'monospace', 'sans-serif:lang=zh-cn'].map(
    (pattern) => {
      const match = spawnSync('fc-match', ['-f', '%{family[0]}', pattern], {
        encoding: 'utf8',
        timeout: 30_000,
      });
      return `${pattern} → ${match.status === 0 ? match.stdout.trim() : '(fc-match failed)'}`;
    },
  );
  return {
    fingerprint: `fingerprint ${fingerprint} (${files.length} font files)`,
    description: families.join('\n'),
  };
}

function committedFingerprint(): string | undefined {
  try {
    return readFileSync(fontsFile, 'utf8').split('\n')[0];
  } catch {
    return undefined;
  }
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function blank(image: PNG, boxes: Box[]): void {
  for (const box of boxes) {
    const left = Math.max(0, Math.floor(box.x));
    const top = Math.max(0, Math.floor(box.y));
    const right = Math.min(image.width, Math.ceil(box.x + box.width));
    const bottom = Math.min(image.height, Math.ceil(box.y + box.height));
    for (let y = top; y < bottom; y += 1) {
      for (let x = left; x < right; x += 1) {
        const index = (y * image.width + x) * 4;
        image.data[index] = 255;
        image.data[index + 1] = 0;
        image.data[index + 2] = 255;
        image.data[index + 3] = 255;
      }
    }
  }
}

/** Compares two PNGs with `varying` blanked in both; answers undefined when they match, else why not. */
export function screenshotDifference(
  committed: Buffer,
  drawn: Buffer,
  varying: Box[],
): { message: string; diff?: Buffer } | undefined {
  const expected = PNG.sync.read(committed);
  const actual = PNG.sync.read(drawn);
  if (expected.width !== actual.width || expected.height !== actual.height) {
    return {
      message: `the picture is ${actual.width}×${actual.height} px, the committed one ${expected.width}×${expected.height} px`,
    };
  }
  blank(expected, varying);
  blank(actual, varying);
  const diff = new PNG({ width: actual.width, height: actual.height });
  const differing = pixelmatch(expected.data, actual.data, diff.data, actual.width, actual.height, {
    threshold: colourThreshold,
  });
  const allowed = Math.floor(actual.width * actual.height * maxDifferingShare);
  if (differing <= allowed) return undefined;
  return {
    message: `${differing} pixels differ (at most ${allowed} allowed)`,
    diff: PNG.sync.write(diff),
  };
}

/**
 * Takes the README picture `name` of the page: writes it to docs/screenshots with SPAY_UPDATE_SCREENSHOTS=1, else
 * compares it with the committed one (see the header). `varying`: what differs on every run.
 */
export async function readmeScreenshot(page: Page, name: string, varying: Locator[] = []): Promise<void> {
  const committedPath = `docs/screenshots/${name}`;
  const drawn = await page.screenshot({ animations: 'disabled' });
  if (process.env.SPAY_UPDATE_SCREENSHOTS === '1') {
    if (!cjkFontsInstalled()) {
      throw new Error(
        'SPAY_UPDATE_SCREENSHOTS=1 needs CJK fonts (fc-list :lang=zh lists none): apt-get install -y fonts-noto-cjk',
      );
    }
    writeFileSync(committedPath, drawn);
    const fonts = machineFonts();
    writeFileSync(
      fontsFile,
      `${fonts.fingerprint}\n\nThe README's pictures were drawn with these fonts:\n${fonts.description}\n`,
    );
    return;
  }
  writeFileSync(test.info().outputPath(name), drawn);
  const fonts = machineFonts();
  const committedFonts = committedFingerprint();
  if (!cjkFontsInstalled() || fonts.fingerprint !== committedFonts) {
    const why = !cjkFontsInstalled()
      ? 'this machine has no CJK fonts'
      : `this machine's fonts (${fonts.fingerprint}) are not those of the committed pictures (${fontsFile}: ${committedFonts ?? 'missing'})`;
    test.info().annotations.push({ type: 'not compared', description: `${committedPath}: ${why}` });
    console.warn(`README screenshot ${committedPath} not compared: ${why}`);
    return;
  }
  const boxes: Box[] = [];
  for (const locator of varying) {
    const box = await locator.boundingBox();
    if (box === null) throw new Error(`${name}: ${String(locator)} is not on the page`);
    boxes.push(box);
  }
  const difference = screenshotDifference(readFileSync(committedPath), drawn, boxes);
  if (difference === undefined) return;
  if (difference.diff !== undefined) writeFileSync(test.info().outputPath(`diff-${name}`), difference.diff);
  throw new Error(
    `${committedPath} no longer shows what the widget draws: ${difference.message}. ` +
      `The new picture and the difference are in ${test.info().outputDir}. ${refreshHint}`,
  );
}
