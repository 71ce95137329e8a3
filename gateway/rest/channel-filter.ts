/**
 * The `channel` filter of the bill and refund queries: a channel family (WX, ALI, UN) or one channel (WX_NATIVE, …).
 */
import { isButtonChannel, type ButtonChannel, type ChannelFamily } from '../channels/channels.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { RequestFields } from './request-fields.ts';

export type ChannelFilter = { family: ChannelFamily } | { subChannel: ButtonChannel };

const FAMILIES: readonly ChannelFamily[] = ['WX', 'ALI', 'UN'];

export function isChannelFamily(name: string): name is ChannelFamily {
  return (FAMILIES as readonly string[]).includes(name);
}

export function readChannelFilter(fields: RequestFields, required = false): ChannelFilter | undefined {
  const name = required
    ? fields.requiredString('channel', { maxLength: 32 })
    : fields.optionalString('channel', { maxLength: 32 });
  if (name === undefined) return undefined;
  if (isChannelFamily(name)) return { family: name };
  if (isButtonChannel(name)) return { subChannel: name };
  throw new BeeCloudError(
    'CHANNEL_INVALID',
    'channel',
    `must be WX, ALI, UN or one of their channels, not "${name}"`,
  );
}

export function channelFilterMatches(
  filter: ChannelFilter | undefined,
  family: string,
  subChannel: string,
): boolean {
  if (filter === undefined) return true;
  return 'family' in filter ? filter.family === family : filter.subChannel === subChannel;
}
