/**
 * Two gateway instances on one PostgreSQL database (runs under `npm run test:postgres`) run the subscription
 * scheduler at the same moments across ten simulated days: every period of every subscription is charged exactly
 * once (claimed rows, FOR UPDATE SKIP LOCKED; the unique key per subscription and period), each charge tried once
 * and announced by one PAY webhook.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { rest } from '../rest/testing/rest-caller.ts';
import { startTestGateway, testApp, type TestGateway } from '../testing/gateway-harness.ts';
import { createTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { SANDBOX_SMS_CODE, type SchedulerPass } from './subscriptions.ts';

const HOUR = 3_600_000;
const SUBSCRIBERS = 12;
const DAYS = 10;
const start = Date.now();
let clock = start;
let database: TestDatabase;
const instances: TestGateway[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  const app = testApp({ webhookUrl: 'http://127.0.0.1:9/webhook' });
  for (let i = 0; i < 2; i += 1) {
    instances.push(
      await startTestGateway({
        app,
        databaseUrl: database.url,
        now: () => clock,
        subscriptions: { reviewMs: 1000, passMs: 3_600_000 },
      }),
    );
  }
}, 60_000);

afterAll(async () => {
  for (const instance of instances) await instance.close();
  await database?.drop();
});

it('never charges a period twice with two schedulers on one database', async () => {
  const [first, second] = instances as [TestGateway, TestGateway];
  const plan = await rest(first, {
    method: 'POST',
    path: 'plan',
    payload: { name: '日付', fee: 30, interval: 'day' },
  });
  const planId = (plan.json.plan as { id: string }).id;
  const ids: string[] = [];
  for (let i = 0; i < SUBSCRIBERS; i += 1) {
    const gateway = i % 2 === 0 ? first : second;
    const sms = await rest(gateway, { method: 'POST', path: 'sms', payload: { phone: '13800138000' } });
    const answer = await rest(gateway, {
      method: 'POST',
      path: 'subscription',
      payload: {
        buyer_id: `buyer-${i}`,
        plan_id: planId,
        bank_name: '中国工商银行',
        card_no: '6222021000000080001',
        id_name: '张三',
        id_no: '110105199003071239',
        mobile: '13800138000',
        sms_id: sms.json.sms_id,
        sms_code: SANDBOX_SMS_CODE,
      },
    });
    expect(answer.json.result_code).toBe(0);
    ids.push((answer.json.subscription as { id: string }).id);
  }

  const passes: SchedulerPass[] = [];
  for (let hour = 0; hour <= DAYS * 24; hour += 6) {
    clock = start + 1000 + hour * HOUR;
    passes.push(
      ...(await Promise.all([
        first.ctx.core.subscriptions.runScheduler(),
        second.ctx.core.subscriptions.runScheduler(),
        first.ctx.core.subscriptions.runScheduler(),
        second.ctx.core.subscriptions.runScheduler(),
      ])),
    );
  }

  const periods = DAYS + 1;
  for (const id of ids) {
    const charges = await first.ctx.store.subscriptions.chargesOf(id);
    expect(charges.map((charge) => charge.period)).toEqual([...Array(periods).keys()]);
    expect(charges.every((charge) => charge.status === 'paid' && charge.tries === 1)).toBe(true);
  }
  const total = SUBSCRIBERS * periods;
  // Each review, each period and each charge was handled by exactly one of the racing passes.
  expect(passes.reduce((sum, pass) => sum + pass.reviewed, 0)).toBe(SUBSCRIBERS);
  expect(passes.reduce((sum, pass) => sum + pass.opened, 0)).toBe(total);
  expect(passes.reduce((sum, pass) => sum + pass.tried, 0)).toBe(total);
  const rows = await first.ctx.store.outbox.all({ appId: first.app.appId, transactionType: 'PAY' });
  expect(rows).toHaveLength(total);
  expect(new Set(rows.map((row) => row.transaction_id)).size).toBe(total);
}, 180_000);
