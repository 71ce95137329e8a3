/** The button page's channel list: order changes and the enabled codes in menu order (what PUT …/button takes). */
import type { ButtonChannel } from '../../api/types.ts';

/** Moves the item at `from` to index `to` (clamped); the list is not changed in place. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  const target = Math.max(0, Math.min(items.length - 1, to));
  if (from < 0 || from >= items.length || from === target) return [...items];
  const next = [...items];
  const [moved] = next.splice(from, 1);
  next.splice(target, 0, moved);
  return next;
}

export function enabledCodes(channels: readonly ButtonChannel[]): string[] {
  return channels.filter((channel) => channel.enabled).map((channel) => channel.code);
}

export function toggleChannel(
  channels: readonly ButtonChannel[],
  code: string,
  enabled: boolean,
): ButtonChannel[] {
  return channels.map((channel) => (channel.code === code ? { ...channel, enabled } : channel));
}
