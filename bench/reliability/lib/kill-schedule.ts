/**
 * The kill-and-restart loop of the crash scenarios: a gateway process is SIGKILLed at moments counted in finished
 * units of work (payments) and restarted. The moments come from a seeded random source whose seed is printed, so
 * a run's kills can be replayed (`SPAY_CRASH_SEED=N`). Kills run one after the other, never two at once, while the
 * work goes on; `done()` waits for the last restart.
 */
import { seededRandom, type Random } from '../fuzz/random.ts';

/** The random source for kill moments: `SPAY_CRASH_SEED` when set, else a fresh seed (print `random.seed`). */
export function killRandom(): Random {
  return seededRandom(Number(process.env.SPAY_CRASH_SEED) || Date.now() % 2 ** 31);
}

/**
 * `kills` moments (numbers of finished units) spread over `total`: one random moment in each of `kills` equal
 * stretches between `from` and `from + span` (shares of `total`).
 */
export function killMoments(
  total: number,
  kills: number,
  random: Random,
  { from = 0.05, span = 0.9 }: { from?: number; span?: number } = {},
): number[] {
  const stretch = (total * span) / kills;
  return Array.from({ length: kills }, (_, index) =>
    Math.floor(total * from + stretch * (index + random.next())),
  );
}

export interface KillSchedule {
  /** Call after each finished unit with the number finished so far: starts the kill whose moment has come. */
  finished(count: number): void;
  /** Waits for every kill started so far and its restart. */
  done(): Promise<void>;
  /** What each kill did, in order (`kill`'s answer, then "after N <units>"). */
  readonly killed: string[];
}

export interface KillScheduleOptions {
  /** Kill moments, in finished units, ascending. */
  moments: readonly number[];
  random: Random;
  /** Longest extra wait after a moment before the kill (default 300 ms, a random share of it each time). */
  jitterMs?: number;
  /** Kills a process and restarts it (or not); answers what happened, e.g. "SIGKILL" or the exit code. */
  kill: (index: number) => Promise<string>;
  /** What is counted, for the record (default "payments"). */
  unit?: string;
}

export function killSchedule(options: KillScheduleOptions): KillSchedule {
  const pending = [...options.moments];
  const killed: string[] = [];
  const jitterMs = options.jitterMs ?? 300;
  let index = 0;
  let chain = Promise.resolve();
  return {
    killed,
    finished(count) {
      if (pending.length === 0 || count < pending[0]!) return;
      pending.shift();
      const which = index++;
      chain = chain.then(async () => {
        await new Promise((resolve) => setTimeout(resolve, options.random.next() * jitterMs));
        const what = await options.kill(which);
        killed.push(`${what} after ${count} ${options.unit ?? 'payments'}`);
      });
    },
    done: () => chain,
  };
}
