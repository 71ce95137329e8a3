/**
 * POST /2/rest/jsbutton/coupons — the buyer's coupons for the button's 优惠券 row. The body is the order the
 * merchant signed for BC.click (v2 sign with buyer_id; CORS, text/plain accepted like the bill's creation): the
 * sign proves the merchant named this buyer for this order, so the page learns nothing the merchant did not put
 * in it. Answers each unused coupon of the buyer (and one this order already holds) with its discount on this
 * amount, or why it cannot be used (sdk/button-types.ts `ButtonCouponsAnswer`).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ButtonCouponsAnswer } from '../../sdk/button-types.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { checkPageOrigin, requestPageOrigin } from './bill-origin.ts';
import { buttonOrderFrom, buttonOrderSchema } from './button-order.ts';
import { buttonCouponsAnswer, buttonTags } from './button-schemas.ts';
import { verifyButtonSign } from './button-sign.ts';

export function registerButtonCouponRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  app.withTypeProvider<TypeBoxTypeProvider>().post(
    '/2/rest/jsbutton/coupons',
    schemaRoute({
      tags: buttonTags,
      summary: 'The buyer’s coupons for the button’s order',
      description:
        'The widget’s 优惠券 row: the order the merchant signed with the v2 sign and buyer_id (the body may be sent as text/plain, no CORS preflight). Answers each unused coupon of the buyer (and one this order already holds) with its discount on this amount, or why it cannot be used.',
      body: buttonOrderSchema,
      answer: buttonCouponsAnswer,
      config: { edge: 'button' },
      bodyStatus: 200,
    }),
    async (request) => {
      const order = buttonOrderFrom(request.body, { needsOpenid: false });
      const found = await ctx.store.apps.findApp(order.appId);
      if (!found) throw new BeeCloudError('APP_INVALID', 'appId', `no app ${order.appId.slice(0, 64)}`);
      checkPageOrigin(found, requestPageOrigin(request.headers));
      verifyButtonSign(found, order);
      if (order.buyerId === null)
        throw new BeeCloudError('MISS_PARAM', 'buyer_id', 'required to list coupons');
      const listed = await ctx.core.coupons.forBuyer(
        { appId: found.appId, mode: found.mode },
        order.buyerId,
        order.amount,
        order.outTradeNo,
      );
      const answer: ButtonCouponsAnswer = okAnswer({
        resultCode: 0,
        result_code: 0,
        coupons: listed.map(({ coupon, discount, refusal }) => ({
          id: coupon.id,
          name: coupon.template.name,
          type: coupon.template.kind === 'percentage' ? 1 : 0,
          discount,
          pay_fee: order.amount - discount,
          limit_fee: coupon.template.limitFee,
          end_time: coupon.endTime,
          usable: refusal === undefined,
          reason: refusal ?? '',
        })),
      });
      return answer;
    },
  );
}
