/**
 * The button's endpoints (the widget ⇄ gateway contract, sdk/button-types.ts): the order is `buttonOrderSchema`
 * (button-order.ts); here the path and query parts and the answers. How to add an endpoint:
 * gateway/schema/beecloud-schema.ts.
 */
import { buttonChannels } from '../channels/channels.ts';
import { OkAnswer, Type } from '../schema/beecloud-schema.ts';

export const buttonTags = ['button'];

/** Any case, as old pages wrote it: checked before the body, so an unknown channel answers CHANNEL_INVALID first. */
const anyCase = (word: string) => word.replace(/[A-Z]/g, (letter) => `[${letter}${letter.toLowerCase()}]`);

export const channelParams = Type.Object({
  channel: Type.String({
    pattern: `^(${buttonChannels.map(anyCase).join('|')})$`,
    'x-result-code': 'CHANNEL_INVALID',
    'x-error-message': 'is not a button channel',
    description: `The channel (any case): ${buttonChannels.join(', ')}.`,
  }),
});

/** The JSONP form's callback: checked first, since every other refusal goes through it. */
export const callbackQuery = Type.Object({
  callback: Type.Optional(
    Type.String({
      maxLength: 320,
      pattern: '^[A-Za-z_$][\\w$]{0,63}(\\.[A-Za-z_$][\\w$]{0,63}){0,4}$',
      'x-error-message': 'must be a JavaScript identifier',
      description: 'A JavaScript function name: the answer comes back as `/**/callback({...});`.',
    }),
  ),
});

/** The JSONP form: `para` is the order as JSON (button-order.ts `buttonOrderSchema`). */
export const jsonpQuery = Type.Object({
  para: Type.String({
    description:
      'The order (ButtonOrder) as URL-encoded JSON; BeeCloud’s v4 script sends it through encodeURI with every value a string and the callback inside it.',
  }),
  ...callbackQuery.properties,
});

const resultZero = {
  resultCode: Type.Literal(0),
  result_code: Type.Literal(0),
  result_msg: Type.String(),
  err_detail: Type.String(),
  id: Type.String({ description: 'The bill’s id at the gateway.' }),
};

export const buttonBillAnswer = Type.Union(
  [
    Type.Object(
      {
        ...resultZero,
        action: Type.Literal('redirect'),
        url: Type.String(),
        method: Type.Enum(['GET', 'POST']),
        param: Type.Record(Type.String(), Type.String()),
        guide_url: Type.Optional(
          Type.String({ description: 'Alipay: the open-in-a-browser guide inside WeChat.' }),
        ),
      },
      {
        title: 'RedirectBillAnswer',
        description: 'Go to the channel’s cashier (ALI_WEB, ALI_WAP, WX_WAP, UN_*).',
      },
    ),
    Type.Object(
      {
        ...resultZero,
        action: Type.Literal('qr'),
        code_url: Type.String(),
        total_fee: Type.Integer(),
        expires_at: Type.Union([Type.Integer(), Type.Null()]),
      },
      { title: 'QrBillAnswer', description: 'Show a QR code to scan (WX_NATIVE, ALI_QRCODE).' },
    ),
    Type.Object(
      {
        ...resultZero,
        action: Type.Literal('jsapi'),
        app_id: Type.String(),
        timestamp: Type.String(),
        nonce_str: Type.String(),
        package: Type.String(),
        sign_type: Type.String(),
        pay_sign: Type.String(),
      },
      { title: 'JsapiBillAnswer', description: 'Call WeixinJSBridge getBrandWCPayRequest (WX_JSAPI).' },
    ),
  ],
  { title: 'ButtonBillAnswer' },
);

export const publicBillSchema = Type.Object(
  {
    id: Type.String(),
    bill_no: Type.String(),
    title: Type.String(),
    total_fee: Type.Integer(),
    channel: Type.String(),
    sub_channel: Type.String(),
    spay_result: Type.Boolean(),
    status: Type.Enum(['open', 'paid', 'closed', 'expired']),
    create_time: Type.Integer(),
    trade_no: Type.String(),
    expires_at: Type.Union([Type.Integer(), Type.Null()]),
  },
  { title: 'PublicBill' },
);

export const billIdParams = Type.Object({
  id: Type.String({ maxLength: 64, description: 'The bill’s id.' }),
});

export const publicBillAnswer = OkAnswer({ pay: publicBillSchema });

export const eventStreamAnswer = Type.String({
  description:
    'text/event-stream: `event: status` with the PublicBill as data at connect and at every change; a heartbeat comment every 15 s.',
});

export const scriptQuery = Type.Object({
  appId: Type.Optional(
    Type.String({ description: 'The app id; without it the script reports the problem.' }),
  ),
});

export const scriptAnswer = Type.String({
  description:
    'application/javascript: the BCConfig prelude and the widget, or a script that reports the problem (MISS_PARAM, APP_INVALID) in the console.',
});

export const assetParams = Type.Object({ file: Type.String({ maxLength: 128 }) });

export const assetAnswer = Type.String({ description: 'A widget chunk (JavaScript, CSS, source map, SVG).' });

export const ButtonCouponSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String({ description: 'The template’s name, e.g. "满50减10".' }),
    type: Type.Integer({ description: '0 fixed (fen off), 1 percentage.' }),
    discount: Type.Integer({ description: 'What it takes off this order (fen); 0 when it cannot be used.' }),
    pay_fee: Type.Integer({ description: 'What the payer pays with it (fen).' }),
    limit_fee: Type.Integer({ description: 'The least amount it applies to (fen), 0 for any.' }),
    end_time: Type.Union([Type.Integer(), Type.Null()]),
    usable: Type.Boolean(),
    reason: Type.Enum(
      ['', 'not_owner', 'used', 'not_started', 'expired', 'template_inactive', 'below_threshold'],
      { description: 'Why not, when not usable; empty when usable.' },
    ),
  },
  { title: 'ButtonCoupon' },
);

export const buttonCouponsAnswer = OkAnswer(
  { coupons: Type.Array(ButtonCouponSchema, { description: 'Usable first.' }) },
  { title: 'ButtonCouponsAnswer' },
);
