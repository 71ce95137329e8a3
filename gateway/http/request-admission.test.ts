import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installFairAdmission, RequestAdmission } from './request-admission.ts';

/** Resolves after the event loop went round once more (Node's check phase). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A clock that moves `stepMs()` each time the admission reads it (once per turn that admits). */
function turnClock(stepMs: () => number) {
  let now = 0;
  return () => (now += stepMs());
}

/** Admits `count` requests; the order they started in, and how many started in each turn. */
async function runTurns(admission: RequestAdmission, count: number) {
  const started: number[] = [];
  const all = Array.from({ length: count }, (_, arrival) =>
    admission.admit().then(() => started.push(arrival)),
  );
  const perTurn: number[] = [];
  while (started.length < count) {
    const before = started.length;
    await nextTurn();
    perTurn.push(started.length - before);
  }
  await Promise.all(all);
  return { started, perTurn };
}

describe('RequestAdmission', () => {
  it('admits waiting requests in arrival order, one per event-loop turn while each turn fills the budget', async () => {
    const admission = new RequestAdmission({ turnBudgetMs: 2, now: turnClock(() => 2) });
    const started: number[] = [];
    const all = Array.from({ length: 5 }, (_, arrival) =>
      admission.admit().then(() => started.push(arrival)),
    );
    expect(started).toEqual([]);
    expect(admission.queued).toBe(5);
    for (let turn = 1; turn <= 5; turn += 1) {
      await nextTurn();
      expect(started).toEqual([0, 1, 2, 3, 4].slice(0, turn));
    }
    await Promise.all(all);
    expect(admission.queued).toBe(0);
  });

  it('admits more per turn while turns are short, in arrival order, up to its cap', async () => {
    // Each turn costs 0.1 ms: 20 of them fit in 2 ms; the count at most doubles from one turn to the next.
    const admission = new RequestAdmission({ turnBudgetMs: 2, maxPerTurn: 16, now: turnClock(() => 0.1) });
    const { started, perTurn } = await runTurns(admission, 60);
    expect(started).toEqual([...Array(60).keys()]);
    expect(perTurn).toEqual([1, 2, 4, 8, 16, 16, 13]);
    expect(admission.queued).toBe(0);
  });

  it('admits fewer per turn when turns take longer than the budget', async () => {
    let stepMs = 0.1;
    const admission = new RequestAdmission({ turnBudgetMs: 2, now: turnClock(() => stepMs) });
    await runTurns(admission, 31); // 1 + 2 + 4 + 8 + 16: the next turn may admit 32
    expect(admission.admittedPerTurn).toBe(16);
    // Now each turn costs 8 ms, four times the budget: each turn admits half as many as the one before.
    stepMs = 8;
    const { started, perTurn } = await runTurns(admission, 40);
    expect(started).toEqual([...Array(40).keys()]);
    expect(perTurn.slice(0, 5)).toEqual([16, 8, 4, 2, 1]);
    expect(perTurn.slice(5).every((count) => count === 1)).toBe(true);
  });

  it('puts a request that arrives while others wait behind them', async () => {
    const admission = new RequestAdmission({ now: turnClock(() => 2) });
    const started: string[] = [];
    const early = [
      admission.admit().then(() => started.push('a')),
      admission.admit().then(() => started.push('b')),
    ];
    await nextTurn();
    const late = admission.admit().then(() => started.push('late'));
    early.push(admission.admit().then(() => started.push('c')));
    await Promise.all([...early, late]);
    expect(started).toEqual(['a', 'b', 'late', 'c']);
  });
});

describe('installFairAdmission', () => {
  const app = Fastify();
  afterEach(async () => {
    await app.close();
  });

  it('answers concurrent requests in arrival order with their bodies intact', async () => {
    const handled: number[] = [];
    const admission = installFairAdmission(app);
    app.post<{ Body: { bill: number } }>('/bill', async (request) => {
      handled.push(request.body.bill);
      return { bill: request.body.bill };
    });
    await app.ready();
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, bill) =>
        app.inject({ method: 'POST', url: '/bill', payload: { bill } }),
      ),
    );
    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(20).fill(200));
    expect(answers.map((answer) => answer.json<{ bill: number }>().bill)).toEqual([...Array(20).keys()]);
    expect(handled).toEqual([...Array(20).keys()]);
    expect(admission.queued).toBe(0);
  });
});
