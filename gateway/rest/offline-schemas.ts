/**
 * BeeCloud's offline (线下) REST API: `POST /2/rest/offline/bill` (the pay fields of pay-schemas.ts with an offline
 * channel, the payer's `auth_code` for WX_SCAN / ALI_SCAN), `offline/bill/status`, `offline/bill/{bill_no}` (method
 * REVERT) and `offline/refund` (the refund fields of refund-schemas.ts). How to add an endpoint:
 * gateway/schema/beecloud-schema.ts.
 */
import { LettersDigits, OkAnswer, SignedRequest, Type, Words } from '../schema/beecloud-schema.ts';
import { ChannelFilter } from './common-schemas.ts';
import { payFields, whenChannel } from './pay-schemas.ts';
import { refundFields } from './refund-schemas.ts';

export const offlineTags = ['offline'];

export const offlineChannels = ['WX_SCAN', 'ALI_SCAN', 'WX_NATIVE', 'ALI_OFFLINE_QRCODE'] as const;
export type OfflineChannel = (typeof offlineChannels)[number];

/**
 * The payment codes the channels issue: WeChat Pay 18 digits starting 10–15, Alipay 16–24 digits starting 25–30
 * (the channels' own documented formats).
 */
const paymentCodes = {
  WX_SCAN: {
    pattern: '^1[0-5]\\d{16}$',
    text: "must be WeChat Pay's payment code: 18 digits starting 10 to 15",
  },
  ALI_SCAN: {
    pattern: '^(2[5-9]|30)\\d{14,22}$',
    text: "must be Alipay's payment code: 16 to 24 digits starting 25 to 30",
  },
};

const storeId = (description: string) =>
  Type.String({
    pattern: '^[0-9A-Za-z_-]{1,32}$',
    'x-error-message': 'must be 1 to 32 letters, digits, _ or -',
    description,
  });

export const offlinePayRequest = SignedRequest(
  {
    channel: Words(offlineChannels, {
      code: 'CHANNEL_INVALID',
      message: 'must be WX_SCAN, ALI_SCAN, WX_NATIVE or ALI_OFFLINE_QRCODE',
      description:
        'WX_SCAN / ALI_SCAN: the till scans the payer’s payment code (auth_code); WX_NATIVE / ALI_OFFLINE_QRCODE: a QR code for the till’s screen.',
    }),
    ...payFields,
    auth_code: Type.Optional(
      Type.String({
        maxLength: 32,
        description:
          'WX_SCAN (18 digits starting 10–15) and ALI_SCAN (16–24 digits starting 25–30) only: the payment code the till scanned.',
      }),
    ),
    terminal_id: Type.Optional(storeId('The till (Alipay’s terminal_id).')),
    store_id: Type.Optional(storeId('The store (Alipay’s store_id).')),
  },
  {
    allOf: [
      ...(['WX_SCAN', 'ALI_SCAN'] as const).map((channel) =>
        whenChannel(channel, {
          required: ['auth_code'],
          properties: {
            auth_code: {
              pattern: paymentCodes[channel].pattern,
              'x-error-message': paymentCodes[channel].text,
            },
          },
        }),
      ),
      ...(['WX_NATIVE', 'ALI_OFFLINE_QRCODE'] as const).map((channel) =>
        whenChannel(channel, {
          properties: {
            auth_code: { not: {}, 'x-error-message': `is only for WX_SCAN and ALI_SCAN, not ${channel}` },
          },
        }),
      ),
    ],
  },
);

export const offlinePayAnswer = OkAnswer({
  id: Type.String({ description: 'The bill’s id at the gateway.' }),
  pay_result: Type.Optional(
    Type.Boolean({
      description:
        'WX_SCAN / ALI_SCAN: paid at once (false: waiting for the payer’s password — ask offline/bill/status).',
    }),
  ),
  code_url: Type.Optional(
    Type.String({ description: 'WX_NATIVE / ALI_OFFLINE_QRCODE: the QR code’s content.' }),
  ),
});

export const offlineStatusRequest = SignedRequest({
  bill_no: LettersDigits(8, 32, 'The order’s bill_no.'),
  channel: Type.Optional(ChannelFilter),
});

export const offlineStatusAnswer = OkAnswer({
  pay_result: Type.Boolean({ description: 'An attempt of the order is paid.' }),
  id: Type.Optional(Type.String({ description: 'The paid attempt’s id (else the first attempt’s).' })),
});

export const revertParams = Type.Object({ bill_no: LettersDigits(8, 32, 'The order’s bill_no.') });

export const revertRequest = SignedRequest({
  method: Words(['REVERT'], { message: 'must be REVERT' }),
  channel: Type.Optional(ChannelFilter),
});

export const revertAnswer = OkAnswer({
  revert_status: Type.Boolean({
    description: 'Reverted (closed unpaid); false with err_detail saying why (e.g. paid meanwhile).',
  }),
});

export const offlineRefundRequest = SignedRequest({
  ...refundFields,
  need_approval: Type.Optional(
    Type.Never({
      'x-error-message': 'offline refunds have no pre-refund approval',
      description: 'Not taken: offline refunds have no pre-refund approval.',
    }),
  ),
  refund_reason: Type.Optional(Type.String({ maxLength: 128 })),
  operator_id: Type.Optional(Type.String({ maxLength: 32 })),
  store_id: Type.Optional(storeId('The store (Alipay’s store_id).')),
});

export const offlineRefundAnswer = OkAnswer({
  id: Type.String({ description: 'The refund’s id.' }),
  refund_result: Type.Boolean({ description: 'Refunded at once.' }),
});
