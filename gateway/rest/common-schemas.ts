/**
 * Schemas the REST endpoints share: channel names and filters, paging, the creation-time range, the bill and
 * refund records (the wire types of sdk/rest-types.ts). How to add an endpoint: gateway/schema/beecloud-schema.ts.
 */
import { allChannels, billFamilies, buttonChannels } from '../channels/channels.ts';
import { Type, Words } from '../schema/beecloud-schema.ts';

/** BeeCloud channels spay does not offer (yet): named in the refusal, so a merchant knows why. */
const beeCloudOnlyChannels = [
  'WX_APP',
  'ALI_APP',
  'UN_APP',
  'JD_WAP',
  'JD_WEB',
  'YEE_WAP',
  'YEE_WEB',
  'YEE_NOBANKCARD',
  'KUAIQIAN_WAP',
  'KUAIQIAN_WEB',
  'BD_APP',
  'BD_WEB',
  'BD_WAP',
  'PAYPAL_SANDBOX',
  'PAYPAL_LIVE',
].join(', ');

export const PayChannel = Words(buttonChannels, {
  code: 'CHANNEL_INVALID',
  message:
    `must be one of ${buttonChannels.join(', ')} (WX_SCAN, ALI_SCAN and ALI_OFFLINE_QRCODE are paid through ` +
    `POST /2/rest/offline/bill, PAYPAL_PAYPAL, PAYPAL_CREDITCARD and PAYPAL_SAVED_CREDITCARD through ` +
    `POST /2/rest/international/bill; BeeCloud's ${beeCloudOnlyChannels} are not offered by this gateway)`,
  description: 'The payment channel.',
});

export const channelFilterWords = [...billFamilies, ...allChannels] as const;

export const ChannelFilter = Words(channelFilterWords, {
  code: 'CHANNEL_INVALID',
  message: 'must be WX, ALI, UN, PAYPAL or one of their channels',
  description: 'A channel family (WX, ALI, UN, PAYPAL) or one channel (button, offline or international).',
});

export const MAX_LIMIT = 50;
export const DEFAULT_LIMIT = 10;

export const pagingFields = {
  skip: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Records to skip (default 0).' }),
  ),
  limit: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: MAX_LIMIT,
      description: `At most ${MAX_LIMIT} (default ${DEFAULT_LIMIT}).`,
    }),
  ),
};

export const timeRangeFields = {
  start_time: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Created at or after (ms since the epoch).' }),
  ),
  end_time: Type.Optional(
    Type.Integer({ minimum: 0, description: 'Created at or before (ms since the epoch).' }),
  ),
};

export const needDetailField = {
  need_detail: Type.Optional(
    Type.Boolean({ description: 'Add message_detail (the channel’s raw payload, as JSON text).' }),
  ),
};

export const CountAnswerFields = { count: Type.Integer({ minimum: 0 }) };

export const BillRecordSchema = Type.Object(
  {
    id: Type.String(),
    bill_no: Type.String(),
    total_fee: Type.Integer(),
    channel: Type.String({ description: 'The channel family: WX, ALI, UN.' }),
    sub_channel: Type.String(),
    title: Type.String(),
    spay_result: Type.Boolean({ description: 'Paid.' }),
    create_time: Type.Integer(),
    trade_no: Type.String({ description: 'The channel’s transaction number once paid.' }),
    optional: Type.String({ description: 'JSON text of the bill’s optional map.' }),
    revert_result: Type.Boolean(),
    refund_result: Type.Boolean(),
    buyer_id: Type.String(),
    status: Type.Enum(['open', 'paid', 'closed', 'expired']),
    message_detail: Type.Optional(Type.String()),
  },
  { title: 'BillRecord' },
);

export const RefundRecordSchema = Type.Object(
  {
    id: Type.String(),
    bill_no: Type.String(),
    refund_no: Type.String(),
    total_fee: Type.Integer(),
    refund_fee: Type.Integer(),
    title: Type.String(),
    channel: Type.String(),
    sub_channel: Type.String(),
    finish: Type.Boolean(),
    result: Type.Boolean(),
    optional: Type.String(),
    create_time: Type.Integer(),
    need_approval: Type.Boolean(),
    status: Type.Enum(['pending_approval', 'processing', 'succeeded', 'failed', 'denied']),
    refund_status: Type.Enum(['SUCCESS', 'PROCESSING', 'FAIL', 'PENDING_APPROVAL', 'DENIED']),
    deny_reason: Type.String(),
    late_payment: Type.Boolean(),
    message_detail: Type.Optional(Type.String()),
  },
  { title: 'RefundRecord' },
);

/** Path parameters `{id}`. */
export const IdParams = Type.Object({ id: Type.String({ maxLength: 128 }) });
