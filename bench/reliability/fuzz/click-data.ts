/**
 * BC.click data for fuzzing: a valid signed order (fresh out_trade_no, instant_channel wxmp) with one to three
 * fields mutated — removed, replaced by an odd value, or a field of another's type — or no object at all.
 * And the oracle: reference §2's rules written out again, independently of widget/validate.ts.
 */
import type { SeedApp } from '../../../gateway/apps/app.ts';
import { signedOrderFor } from '../../lib/merchant-page.ts';
import { oddValues, type Random } from './random.ts';

export const clickFields = [
  'out_trade_no',
  'title',
  'amount',
  'sign',
  'return_url',
  'debug',
  'optional',
  'instant_channel',
  'need_ali_guide',
  'openid',
  'use_app',
  'locale',
  'bill_timeout',
  'extra_field',
] as const;

export function mutatedClickData(app: SeedApp, random: Random): unknown {
  if (random.chance(0.03)) return random.pick([null, undefined, 'order', 42, [], true]);
  const order: Record<string, unknown> = {
    ...signedOrderFor(app, random.pick(['商品', 'T-shirt', '测试商品一件']), 1 + random.int(100000)),
    instant_channel: 'wxmp',
  };
  if (random.chance(0.3)) order.return_url = 'https://shop.example/paid';
  if (random.chance(0.2)) order.optional = { user: 'u1', n: 3, vip: true };
  const mutations = 1 + random.int(3);
  for (let i = 0; i < mutations; i += 1) {
    const field = random.pick(clickFields);
    const kind = random.int(4);
    if (kind === 0) delete order[field];
    else if (kind === 1) order[field] = random.pick(oddValues);
    else if (kind === 2)
      order.optional = { [random.pick(['k', '', 'a.b', '__proto__'])]: random.pick(oddValues) };
    else order[field] = order[random.pick(clickFields)];
  }
  return order;
}

const TITLE_MAX_WEIGHT = 32;

function titleWeight(title: string): number {
  let weight = 0;
  for (const character of title) weight += character.codePointAt(0)! > 0x7f ? 2 : 1;
  return weight;
}

/** The fields a bill request may carry, checked against reference §2. Returns the first rule broken, or null. */
export function brokenOrderRule(order: Record<string, unknown>): string | null {
  const outTradeNo = order.out_trade_no;
  if (typeof outTradeNo !== 'string' || !/^[A-Za-z0-9]{8,32}$/.test(outTradeNo)) return 'out_trade_no';
  const title = order.title;
  if (typeof title !== 'string' || title.trim() === '' || titleWeight(title) > TITLE_MAX_WEIGHT)
    return 'title';
  const amount =
    typeof order.amount === 'string' && /^[1-9][0-9]*$/.test(order.amount)
      ? Number(order.amount)
      : order.amount;
  if (typeof amount !== 'number' || !Number.isInteger(amount) || amount <= 0 || amount > 2 ** 31 - 1)
    return 'amount';
  if (typeof order.sign !== 'string' || !/^[0-9a-fA-F]{32}$/.test(order.sign)) return 'sign';
  const returnUrl = order.return_url;
  if (returnUrl !== undefined && returnUrl !== null && returnUrl !== '') {
    if (typeof returnUrl !== 'string' || !/^https?:\/\/[^/?#\s]+/i.test(returnUrl) || /[?#]/.test(returnUrl))
      return 'return_url';
  }
  const optional = order.optional;
  if (optional !== undefined && optional !== null) {
    if (typeof optional !== 'object' || Array.isArray(optional)) return 'optional';
    for (const value of Object.values(optional as Record<string, unknown>)) {
      if (value !== null && value !== undefined && typeof value === 'object') return 'optional';
      if (typeof value === 'number' && !Number.isFinite(value)) return 'optional';
    }
  }
  return null;
}
