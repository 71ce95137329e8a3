import { describe, expect, it } from 'vitest';
import { seededRandom } from '../fuzz/random.ts';
import { killMoments, killSchedule } from './kill-schedule.ts';

describe('the crash scenarios’ kill schedule', () => {
  it('puts one moment in each equal stretch of the run, the same ones for the same seed', () => {
    const moments = killMoments(500, 3, seededRandom(42));
    expect(moments).toEqual(killMoments(500, 3, seededRandom(42)));
    // Stretches of 150 payments from payment 25: [25, 175), [175, 325), [325, 475).
    moments.forEach((moment, index) => {
      expect(moment).toBeGreaterThanOrEqual(25 + 150 * index);
      expect(moment).toBeLessThan(25 + 150 * (index + 1));
    });
    expect(killMoments(60, 2, seededRandom(7), { from: 0.1, span: 0.8 })[1]).toBeGreaterThanOrEqual(30);
  });

  it('kills once per moment reached, one kill after the other, and records each', async () => {
    const order: string[] = [];
    const schedule = killSchedule({
      moments: [2, 4],
      random: seededRandom(1),
      jitterMs: 5,
      kill: async (index) => {
        order.push(`kill ${index} starts`);
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(`kill ${index} restarted`);
        return 'SIGKILL';
      },
    });
    for (let finished = 1; finished <= 6; finished += 1) schedule.finished(finished);
    await schedule.done();
    expect(order).toEqual(['kill 0 starts', 'kill 0 restarted', 'kill 1 starts', 'kill 1 restarted']);
    expect(schedule.killed).toEqual(['SIGKILL after 2 payments', 'SIGKILL after 4 payments']);
  });

  it('kills nothing before the first moment', async () => {
    let kills = 0;
    const schedule = killSchedule({
      moments: [10],
      random: seededRandom(1),
      kill: async () => {
        kills += 1;
        return 'SIGKILL';
      },
    });
    for (let finished = 1; finished < 10; finished += 1) schedule.finished(finished);
    await schedule.done();
    expect(kills).toBe(0);
    expect(schedule.killed).toEqual([]);
  });
});
