/**
 * Big dependencies a gateway may never use, loaded on first use instead of at start: `pg` (only with
 * SPAY_DATABASE_URL), `alipay-sdk` (only for an app with live Alipay settings), `node-forge` (only to read a
 * UnionPay `.pfx`), `@node-rs/argon2` (only for console passwords). Each costs 10–30 MB of resident memory once loaded; a gateway on SQLite serving the sandbox
 * or WeChat loads none of them. `require` (CommonJS builds) because their users are synchronous.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** A function returning `name`'s exports, loaded the first time it is called. */
export function lazyModule<T>(name: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= require(name) as T);
}
