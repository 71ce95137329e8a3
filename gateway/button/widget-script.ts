/**
 * The button's script: `var BCConfig = {…};` (the app's public config) followed by the built widget, served
 * compressed with an ETag. An unknown appId (or a missing widget build) gets a small script that reports the
 * problem on the console and through `dataError` when `BC.click` is called, so the merchant's page never breaks.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { brotliCompressSync, constants as zlibConstants, gzipSync } from 'node:zlib';
import type { PublicAppConfig } from '../apps/app.ts';

export const widgetFileName = 'spay.js';

/** JSON that is safe inside a classic script (no `</script>`, no U+2028/2029 surprises). */
export function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

export function configPrelude(config: PublicAppConfig, gatewayUrl: string): string {
  const bcConfig = { appId: config.appId, channels: config.channels, urls: [gatewayUrl], mode: config.mode };
  return `var BCConfig = ${scriptSafeJson(bcConfig)};\n`;
}

/** The stand-in script for an unknown app or a missing widget: console.error + dataError, then beecloud:onready. */
export function problemScript(resultCode: number, resultMsg: string, errDetail: string): string {
  const problem = scriptSafeJson({
    msg: `spay: ${errDetail}`,
    resultCode,
    result_code: resultCode,
    result_msg: resultMsg,
    err_detail: errDetail,
  });
  return `(function () {
  var problem = ${problem};
  if (typeof console !== 'undefined' && console.error) console.error(problem.msg);
  if (!window.BC) {
    window.BC = {
      click: function (data, events) {
        if (events && typeof events.dataError === 'function') events.dataError(problem);
        else if (data && data.debug) alert(problem.msg);
      }
    };
  }
  try {
    document.dispatchEvent(new CustomEvent('beecloud:onready', { detail: { msg: problem.msg }, bubbles: true }));
  } catch (e) {}
})();
`;
}

/** A script body with its ETag and compressed forms, built once per content. */
export interface ScriptVariant {
  body: Buffer;
  etag: string;
  gzip: Buffer;
  brotli: Buffer;
}

export function buildVariant(text: string): ScriptVariant {
  const body = Buffer.from(text, 'utf8');
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return {
    body,
    etag,
    gzip: gzipSync(body, { level: 9 }),
    brotli: brotliCompressSync(body, {
      params: {
        [zlibConstants.BROTLI_PARAM_QUALITY]: 10,
        [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
      },
    }),
  };
}

/** Reads widget files from the build directory, re-reading a file only when its mtime or size changes. */
export class WidgetFiles {
  private readonly cache = new Map<string, { key: string; text: string }>();

  constructor(readonly directory: string) {}

  /** The file's text, or undefined when it does not exist. `name` must already be a safe base name. */
  async read(name: string): Promise<{ text: string; version: string } | undefined> {
    const path = join(this.directory, name);
    let info;
    try {
      info = await stat(path);
    } catch {
      return undefined;
    }
    if (!info.isFile()) return undefined;
    const key = `${info.mtimeMs}:${info.size}`;
    const cached = this.cache.get(name);
    if (cached && cached.key === key) return { text: cached.text, version: key };
    const text = await readFile(path, 'utf8');
    this.cache.set(name, { key, text });
    return { text, version: key };
  }
}

/** Keeps the last built variants by a content key so repeated requests do not recompress. */
export class VariantCache {
  private readonly entries = new Map<string, ScriptVariant>();
  constructor(private readonly capacity = 64) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string, build: () => string): ScriptVariant {
    const hit = this.entries.get(key);
    if (hit) return hit;
    const variant = buildVariant(build());
    if (this.entries.size >= this.capacity) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.entries.delete(oldest);
    }
    this.entries.set(key, variant);
    return variant;
  }
}

/**
 * The scripts the gateway serves, cached so that no request can push a real app's script out (issue 21 item 10):
 * each known app has one slot (its current script, replaced when the app's config or the build changes); widget
 * assets and fixed problem scripts share a small bounded cache; answers that name a caller's input (an unknown
 * appId) are built per request and never cached.
 */
export class WidgetScriptCache {
  private readonly apps = new Map<string, { key: string; variant: ScriptVariant }>();
  private readonly sharedCache: VariantCache;
  /** How many times an app's script was built (tests). */
  appScriptBuilds = 0;

  constructor(sharedCapacity = 64) {
    this.sharedCache = new VariantCache(sharedCapacity);
  }

  /** The script of a known app (call it only after the app was found). */
  appScript(appId: string, contentKey: string, build: () => string): ScriptVariant {
    const slot = this.apps.get(appId);
    if (slot && slot.key === contentKey) return slot.variant;
    const variant = buildVariant(build());
    this.appScriptBuilds += 1;
    this.apps.set(appId, { key: contentKey, variant });
    return variant;
  }

  /** A widget asset or a problem script whose text does not depend on the request. */
  sharedScript(key: string, build: () => string): ScriptVariant {
    return this.sharedCache.get(key, build);
  }

  /** Not cached: an answer that echoes the request (an unknown appId). */
  uncached(build: () => string): ScriptVariant {
    return buildVariant(build());
  }

  get size(): number {
    return this.apps.size + this.sharedCache.size;
  }
}
