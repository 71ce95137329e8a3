import { describe, expect, it } from 'vitest';
import type { ButtonChannel } from '../../api/types.ts';
import { enabledCodes, moveItem, toggleChannel } from './channel-order.ts';

const channels: ButtonChannel[] = [
  { code: 'ali', label: '支付宝', family: 'ALI', enabled: true },
  { code: 'wxmp', label: '微信支付', family: 'WX', enabled: true },
  { code: 'un', label: '银联', family: 'UN', enabled: false },
];

describe('channel order', () => {
  it('moves an item up, down and to either end, clamped', () => {
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(moveItem(['a', 'b', 'c'], 1, 9)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
  });
  it('sends the enabled codes in list order', () => {
    const next = toggleChannel(moveItem(channels, 2, 0), 'un', true);
    expect(enabledCodes(next)).toEqual(['un', 'ali', 'wxmp']);
    expect(enabledCodes(toggleChannel(channels, 'ali', false))).toEqual(['wxmp']);
  });
});
