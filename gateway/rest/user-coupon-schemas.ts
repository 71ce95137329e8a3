/**
 * The merchant-user and coupon endpoints (BeeCloud's `beecloud.user` and `beecloud.sales`, sdk/coupon-types.ts):
 * users, history bills, coupon templates, coupons. Money is integer fen; a template's `discount` is BeeCloud's yuan
 * or ratio, converted exactly by coupon-request.ts. How to add an endpoint: gateway/schema/beecloud-schema.ts.
 */
import { Fen, OkAnswer, PlainText, SignedRequest, Type } from '../schema/beecloud-schema.ts';
import { pagingFields, timeRangeFields } from './common-schemas.ts';

export const userTags = ['users'];

export const registerUserBody = SignedRequest({
  buyer_id: PlainText(64, 'The merchant’s user (its own id for the buyer); blank is missing.'),
});

export const registerUsersBody = SignedRequest({
  email: PlainText(128, 'The merchant account the users belong to (an email or a phone number).'),
  buyer_ids: Type.Array(PlainText(64), {
    maxItems: 1000,
    description: 'The users to register (1 to 1000); those registered already are left as they are.',
  }),
});

export const registerUserAnswer = OkAnswer({
  created_count: Type.Integer({ description: '1 when the user is new, 0 when it was registered already.' }),
});

export const userListQuery = SignedRequest({
  email: Type.Optional(
    Type.String({ maxLength: 128, description: 'The merchant account (an email or a phone number).' }),
  ),
  ...timeRangeFields,
  skip: Type.Optional(
    Type.Integer({ minimum: 0, maximum: 1_000_000, description: 'Users to skip (default 0).' }),
  ),
  limit: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 1000, description: 'At most 1000 (the default).' }),
  ),
});

export const MerchantUserSchema = Type.Object(
  {
    merchant: Type.String({ description: 'The merchant account the user was registered under.' }),
    app_id: Type.String(),
    buyer_id: Type.String(),
    createdat: Type.Integer({ description: 'ms since the epoch.' }),
    updatedat: Type.Integer({ description: 'ms since the epoch.' }),
  },
  { title: 'MerchantUser' },
);

export const userListAnswer = OkAnswer({ users: Type.Array(MerchantUserSchema) });

export const MAX_HISTORY_BILLS = 1000;

export const historyBillsBody = SignedRequest({
  bill_info: Type.Record(
    Type.String(),
    Type.Array(Type.String({ minLength: 1, 'x-error-message': 'must be a list of bill_no' }), {
      'x-error-message': 'must be a list of bill_no',
    }),
    {
      propertyNames: {
        maxLength: 64,
        pattern: '\\S',
        'x-error-message': 'keys must be buyer_ids of 1 to 64 characters',
      },
      description: `{buyer_id: [bill_no, …]}: at least one bill, at most ${MAX_HISTORY_BILLS} in all.`,
    },
  ),
});

export const historyBillsAnswer = OkAnswer({
  failed_bills: Type.Record(Type.String(), Type.Array(Type.String()), {
    description:
      'The bills that could not be attached (unknown bill_no, buyer not registered, bill of another buyer), same shape as bill_info.',
  }),
});

export const couponTags = ['coupons'];

const templateStatus = (minimum: -1 | 0, description: string, message?: string) =>
  Type.Integer({
    minimum,
    maximum: 1,
    ...(message !== undefined ? { 'x-error-message': message } : {}),
    description,
  });

const whenField = (name: string, value: number, then: Record<string, unknown>) => ({
  if: { properties: { [name]: { const: value } }, required: [name] },
  then,
});

export const templateBody = SignedRequest(
  {
    name: PlainText(64, 'The template’s name, shown to the payer (e.g. 满50减10).'),
    type: Type.Integer({ minimum: 0, maximum: 1, description: '0 fixed (满减), 1 percentage (折扣).' }),
    discount: Type.Optional(
      Type.Unsafe<number | string>({
        type: ['number', 'string'],
        maxLength: 16,
        description:
          'type 0: yuan off, at most 2 decimals ("10", 9.5); type 1: the ratio paid, at most 3 decimals (0.9 = 9折).',
      }),
    ),
    discount_fee: Type.Optional(Fen({ description: 'type 0: fen off, instead of discount.' })),
    limit_fee: Type.Optional(
      Fen({ min: 0, description: 'The least amount it applies to, in fen (0, the default: any).' }),
    ),
    expiry_type: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 2,
        description: '1 (default): from start_time to end_time; 2: delivery_valid_days from its issue.',
      }),
    ),
    start_time: Type.Optional(
      Type.Integer({ minimum: 0, description: 'expiry_type 1: ms since the epoch.' }),
    ),
    end_time: Type.Optional(
      Type.Integer({ minimum: 0, description: 'expiry_type 1: ms since the epoch, after start_time.' }),
    ),
    delivery_valid_days: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 3650, description: 'expiry_type 2 (required): days from issue.' }),
    ),
    status: Type.Optional(
      templateStatus(
        0,
        '1 active (default) or 0 not started.',
        'a new template is 0 (not started) or 1 (active)',
      ),
    ),
    total_count: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100_000_000,
        description: 'Coupons to issue at most (0: unlimited).',
      }),
    ),
    max_count_per_user: Type.Optional(
      Type.Integer({ minimum: 0, maximum: 100_000, description: 'Per user at most (0: unlimited).' }),
    ),
    mch_account: Type.Optional(Type.String({ maxLength: 128 })),
  },
  {
    allOf: [
      whenField('type', 0, { anyOf: [{ required: ['discount'] }, { required: ['discount_fee'] }] }),
      whenField('type', 1, { required: ['discount'] }),
      whenField('expiry_type', 2, { required: ['delivery_valid_days'] }),
    ],
  },
);

export const templateStatusBody = SignedRequest({
  status: templateStatus(-1, 'Forward only: 0 not started → 1 active → -1 stopped.'),
});

export const TemplateRecordSchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    type: Type.Integer({ description: '0 fixed, 1 percentage.' }),
    limit_fee: Type.Integer({ description: 'fen.' }),
    discount: Type.Number({ description: 'BeeCloud: yuan off (type 0), the ratio paid (type 1).' }),
    discount_fee: Type.Integer({ description: 'spay: fen off (type 0).' }),
    rate_permille: Type.Integer({ description: 'spay: permille paid (type 1).' }),
    total_count: Type.Integer(),
    max_count_per_user: Type.Integer(),
    deliver_count: Type.Integer(),
    use_count: Type.Integer(),
    expiry_type: Type.Integer(),
    start_time: Type.Union([Type.Integer(), Type.Null()]),
    end_time: Type.Union([Type.Integer(), Type.Null()]),
    delivery_valid_days: Type.Integer(),
    status: Type.Integer({ description: '0 not started, 1 active, -1 stopped.' }),
    mch_account: Type.String(),
    app_id: Type.String(),
    created_at: Type.Integer(),
    updated_at: Type.Integer(),
  },
  { title: 'CouponTemplate' },
);

export const templateAnswer = OkAnswer({ id: Type.String(), coupon_template: TemplateRecordSchema });
export const templateByIdAnswer = OkAnswer({ coupon_template: TemplateRecordSchema });

const createdFields = {
  created_after: Type.Optional(Type.Integer({ minimum: 0, description: 'ms since the epoch.' })),
  created_before: Type.Optional(Type.Integer({ minimum: 0, description: 'ms since the epoch.' })),
};

const countOnlyField = {
  count_only: Type.Optional(Type.Boolean({ description: 'Answer total_count instead of the records.' })),
};

export const templateListQuery = SignedRequest({
  name: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(templateStatus(-1, '0 not started, 1 active, -1 stopped.')),
  ...createdFields,
  ...pagingFields,
  ...countOnlyField,
});

export const templateListAnswer = OkAnswer({
  coupon_templates: Type.Optional(Type.Array(TemplateRecordSchema, { description: 'Without count_only.' })),
  total_count: Type.Optional(Type.Integer({ description: 'With count_only.' })),
});

export const byIdQuery = SignedRequest({});

export const couponBody = SignedRequest({
  template_id: Type.String({ maxLength: 64, description: 'The template (active, with coupons left).' }),
  user_id: PlainText(64, 'A registered merchant user (buyer_id).'),
});

export const CouponRecordSchema = Type.Object(
  {
    id: Type.String(),
    template: TemplateRecordSchema,
    user_id: Type.String(),
    app_id: Type.String(),
    status: Type.Integer({ description: '0 unused, 1 used; spay: 2 unused and past its end_time.' }),
    created_at: Type.Integer(),
    updated_at: Type.Integer(),
    start_time: Type.Union([Type.Integer(), Type.Null()]),
    end_time: Type.Union([Type.Integer(), Type.Null()]),
    use_time: Type.Union([Type.Integer(), Type.Null()]),
    bill_no: Type.String({ description: 'spay: the order that used it; empty when unused.' }),
  },
  { title: 'Coupon' },
);

export const couponAnswer = OkAnswer({ id: Type.String(), coupon: CouponRecordSchema });
export const couponByIdAnswer = OkAnswer({ coupon: CouponRecordSchema });

export const couponListQuery = SignedRequest({
  user_id: Type.Optional(Type.String({ maxLength: 64 })),
  template_id: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(
    Type.Integer({
      minimum: 0,
      maximum: 2,
      description: '0 unused and valid, 1 used, 2 unused and past its end_time.',
    }),
  ),
  ...createdFields,
  ...pagingFields,
  ...countOnlyField,
});

export const couponListAnswer = OkAnswer({
  coupons: Type.Optional(Type.Array(CouponRecordSchema, { description: 'Without count_only.' })),
  total_count: Type.Optional(Type.Integer({ description: 'With count_only.' })),
});
