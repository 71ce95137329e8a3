import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { installFairAdmission, RequestAdmission } from './request-admission.ts';

/** Resolves after the event loop went round once more (Node's check phase). */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('RequestAdmission', () => {
  it('admits waiting requests in arrival order, one per event-loop turn', async () => {
    const admission = new RequestAdmission();
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

  it('puts a request that arrives while others wait behind them', async () => {
    const admission = new RequestAdmission();
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
