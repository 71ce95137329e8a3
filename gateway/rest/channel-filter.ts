/** Reads the `channel` filter of the bill and refund queries: a channel family (WX, ALI, UN) or one channel. */
import { isChannelFamily, isChannelName, type ChannelFilter } from '../channels/channels.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { RequestFields } from './request-fields.ts';

export type { ChannelFilter };

export function readChannelFilter(fields: RequestFields, required = false): ChannelFilter | undefined {
  const name = required
    ? fields.requiredString('channel', { maxLength: 32 })
    : fields.optionalString('channel', { maxLength: 32 });
  if (name === undefined) return undefined;
  if (isChannelFamily(name)) return { family: name };
  if (isChannelName(name)) return { subChannel: name };
  throw new BeeCloudError(
    'CHANNEL_INVALID',
    'channel',
    `must be WX, ALI, UN or one of their channels, not "${name}"`,
  );
}
