/**
 * The transfer endpoints (BeeCloud's transfer REST API and its Java / Python SDKs): `POST /2/rest/transfer`,
 * `POST /2/rest/bc_transfer`, `POST /2/rest/transfers` (Alipay batch), `GET /2/rest/transfers` and
 * `transfers/count`, `GET /2/rest/bc_transfer/banks`. How to add an endpoint: gateway/schema/beecloud-schema.ts.
 */
import {
  FlatMap,
  Fen,
  LettersDigits,
  OkAnswer,
  PlainText,
  SignedRequest,
  Type,
  Words,
} from '../schema/beecloud-schema.ts';
import { CountAnswerFields, needDetailField, pagingFields, timeRangeFields } from './common-schemas.ts';

export const MAX_BATCH_ITEMS = 1000;
const singleChannels = ['WX_REDPACK', 'WX_TRANSFER', 'ALI_TRANSFER'] as const;
const transferStatuses = ['PROCESSING', 'SUCCESS', 'FAIL'] as const;

const whenChannel = (channel: string, then: Record<string, unknown>) => ({
  if: { properties: { channel: { const: channel } }, required: ['channel'] },
  then,
});

export const transferRequestSchema = SignedRequest(
  {
    channel: Words(singleChannels, { code: 'CHANNEL_INVALID' }),
    transfer_no: Type.String({
      pattern: '^[0-9A-Za-z]{8,32}$',
      'x-error-message': 'must be 8 to 32 letters or digits (ALI_TRANSFER 11 to 32, WX_REDPACK 10 digits)',
      description: 'ALI_TRANSFER: 11–32 letters/digits; WX_TRANSFER: 8–32; WX_REDPACK: 10 digits.',
    }),
    total_fee: Fen({ description: 'Integer fen; WX_REDPACK 100–20000, WX_TRANSFER at least 100.' }),
    desc: PlainText(128),
    channel_user_id: PlainText(128, 'WeChat: the receiver’s openid; Alipay: the receiver’s Alipay account.'),
    channel_user_name: Type.Optional(PlainText(64, 'The receiver’s name (required for ALI_TRANSFER).')),
    account_name: Type.Optional(
      PlainText(128, 'The paying account’s full name (required for ALI_TRANSFER).'),
    ),
    redpack_info: Type.Optional(
      Type.Object(
        { send_name: PlainText(32), wishing: PlainText(128), act_name: PlainText(32) },
        { 'x-beecloud-text': true, description: 'Required for WX_REDPACK (an object, or its JSON text).' },
      ),
    ),
  },
  {
    allOf: [
      whenChannel('ALI_TRANSFER', {
        required: ['channel_user_name', 'account_name'],
        properties: {
          transfer_no: {
            pattern: '^[0-9A-Za-z]{11,32}$',
            'x-error-message': 'must be 11 to 32 letters or digits for ALI_TRANSFER',
          },
        },
      }),
      whenChannel('WX_TRANSFER', {
        properties: {
          total_fee: { minimum: 100, 'x-error-message': 'must be at least 100 fen for WX_TRANSFER' },
        },
      }),
      whenChannel('WX_REDPACK', {
        required: ['redpack_info'],
        properties: {
          transfer_no: { pattern: '^\\d{10}$', 'x-error-message': 'must be 10 digits for WX_REDPACK' },
          total_fee: {
            minimum: 100,
            maximum: 20_000,
            'x-error-message': 'must be 100 to 20000 fen (1.00 to 200.00 yuan) for WX_REDPACK',
          },
        },
      }),
    ],
  },
);

export const transferAnswerSchema = OkAnswer({
  id: Type.String(),
  transfer_status: Words(transferStatuses),
  url: Type.Optional(Type.String({ description: 'ALI_TRANSFER: where the payer confirms the transfer.' })),
});

export const cardTransferRequestSchema = SignedRequest({
  total_fee: Fen(),
  bill_no: LettersDigits(8, 32),
  title: PlainText(64, 'At most 32 bytes, a Chinese character counting 2.'),
  trade_source: Type.Optional(Words(['OUT_PC'], { message: 'must be OUT_PC' })),
  bank_code: Type.String({
    pattern: '^[A-Z]{2,16}$',
    'x-error-message': 'must be the bank abbreviation in capitals (e.g. BOC)',
  }),
  bank_associated_code: Type.String({
    pattern: '^\\d{1,20}$',
    'x-error-message': 'must be digits (the bank branch code; "0" below 50,000 yuan)',
  }),
  bank_fullname: PlainText(64),
  card_type: Words(['DE', 'CR'], { message: 'must be DE or CR' }),
  account_type: Words(['P', 'C'], { message: 'must be P or C' }),
  account_no: Type.String({
    pattern: '^\\d{4,32}$',
    'x-error-message': 'must be the account number (4 to 32 digits)',
  }),
  account_name: PlainText(64),
  mobile: Type.Optional(
    Type.String({ pattern: '^\\+?\\d{5,20}$', 'x-error-message': 'must be a phone number' }),
  ),
  optional: Type.Optional(FlatMap({ text: true })),
});

export const cardTransferAnswerSchema = OkAnswer({
  id: Type.String(),
  transfer_status: Words(transferStatuses),
});

export const batchTransferRequestSchema = SignedRequest({
  channel: Words(['ALI'], { code: 'CHANNEL_INVALID', message: 'must be ALI (Alipay batches only)' }),
  batch_no: LettersDigits(11, 32),
  account_name: PlainText(128),
  transfer_data: Type.Array(
    Type.Object(
      {
        transfer_id: LettersDigits(1, 32),
        receiver_account: PlainText(128),
        receiver_name: PlainText(64),
        transfer_fee: Fen(),
        transfer_note: PlainText(128),
      },
      { 'x-beecloud-text': true },
    ),
    { minItems: 1, maxItems: MAX_BATCH_ITEMS },
  ),
});

export const batchTransferAnswerSchema = OkAnswer({
  ids: Type.Array(Type.String(), { description: 'The transfers’ ids, in the order of transfer_data.' }),
  url: Type.Optional(Type.String({ description: 'Where the payer confirms the batch.' })),
});

const transferFilterFields = {
  channel: Type.Optional(
    Words(['WX_REDPACK', 'WX_TRANSFER', 'ALI_TRANSFER', 'BC_TRANSFER'], { code: 'CHANNEL_INVALID' }),
  ),
  transfer_status: Type.Optional(Words(transferStatuses, { message: 'must be SUCCESS, FAIL or PROCESSING' })),
  transfer_no: Type.Optional(Type.String({ maxLength: 32 })),
  bill_no: Type.Optional(Type.String({ maxLength: 32, description: 'The Java SDK’s name for transfer_no.' })),
  batch_no: Type.Optional(Type.String({ maxLength: 32 })),
  ...timeRangeFields,
};

export const transferCountQuery = SignedRequest(transferFilterFields);
export const transferListQuery = SignedRequest({
  ...transferFilterFields,
  ...pagingFields,
  ...needDetailField,
});

const TransferRecordSchema = Type.Object(
  {
    id: Type.String(),
    bill_no: Type.String(),
    transfer_no: Type.String(),
    batch_no: Type.String(),
    channel: Type.String(),
    total_fee: Type.Integer(),
    title: Type.String(),
    transfer_status: Words(transferStatuses),
    spay_result: Type.Boolean(),
    trade_no: Type.String(),
    optional: Type.String(),
    create_time: Type.Integer(),
    finish_time: Type.Union([Type.Integer(), Type.Null()]),
    account_name: Type.String(),
    account_no: Type.String(),
    bank_full_name: Type.String(),
    message_detail: Type.Optional(Type.String()),
  },
  { title: 'TransferRecord' },
);

export const transferListAnswer = OkAnswer({
  count: Type.Integer(),
  bills: Type.Array(TransferRecordSchema),
});
export const transferCountAnswer = OkAnswer(CountAnswerFields);

export const bankListQuery = Type.Object({
  type: Words(['P_DE', 'P_CR', 'C'], {
    message: 'must be P_DE, P_CR or C',
    description: 'P_DE personal debit, P_CR personal credit, C company.',
  }),
});

export const bankListAnswer = OkAnswer({
  size: Type.Integer(),
  bank_list: Type.Array(Type.String(), { description: 'The Python SDK reads this.' }),
  banks: Type.Array(Type.String(), { description: 'The Java SDK reads this.' }),
});
