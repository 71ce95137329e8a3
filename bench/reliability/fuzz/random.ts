/** A seeded random source (mulberry32) so a failing fuzz run can be replayed with SPAY_FUZZ_SEED. */

export interface Random {
  seed: number;
  next(): number;
  int(max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

/** SPAY_FUZZ_SEED when set (0 included), else a fresh seed from the clock: callers print `seed` with every run. */
export function seededRandom(seed = fuzzSeedFromEnvironment() ?? Date.now() % 2 ** 31): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (max) => Math.floor(next() * max),
    pick: (items) => items[Math.floor(next() * items.length)]!,
    chance: (p) => next() < p,
  };
}

/** Values merchants (and attackers) put where a field is expected: wrong types, edges, markup, odd text. */
export const oddValues: readonly unknown[] = [
  undefined,
  null,
  '',
  ' ',
  0,
  -1,
  1,
  1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  2 ** 31,
  2 ** 31 - 1,
  2 ** 53 + 1,
  '1',
  '01',
  ' 1',
  '1e3',
  '-5',
  '0x10',
  true,
  false,
  'true',
  'false',
  [],
  [1, 2],
  {},
  { nested: { deep: 1 } },
  'x'.repeat(1000),
  '支付'.repeat(20),
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\u0000\u0001',
  '\u2028\u2029',
  '😀😀😀😀😀😀😀😀😀',
  'javascript:alert(1)',
  'data:text/html,<b>x</b>',
  'http://shop.example/return?x=1',
  'https://shop.example/return#frag',
  'https://shop.example/return',
  '//evil.example/',
  'ftp://shop.example/',
  'ali',
  'wxmp',
  'wx',
  'unknown',
  'ABCDEFGH12345678',
  'a'.repeat(33),
  'a'.repeat(7),
  'abc-def_123',
  'f'.repeat(32),
  'F'.repeat(32),
  'g'.repeat(32),
  'zh-CN',
  'en',
  'auto',
  'fr',
];

/** Only what survives JSON (for objects passed into a browser page). */
export function jsonSafe(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value) ?? 'null');
}

function fuzzSeedFromEnvironment(): number | undefined {
  const given = process.env.SPAY_FUZZ_SEED;
  if (given === undefined || given === '') return undefined;
  const seed = Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0) throw new Error(`SPAY_FUZZ_SEED: not a seed: ${given}`);
  return seed;
}
