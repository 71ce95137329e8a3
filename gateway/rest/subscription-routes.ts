/**
 * BeeCloud's subscription system and card-factor auth, as its server SDKs call them (app secret; a test-mode app
 * signs with its test secret, like every BeeCloud SDK call of a test app):
 *   POST /2/plan → plan · GET /2/plan (criteria, count_only → total_count) → plans · GET /2/plan/{id} → plan
 *   PUT|POST /2/plan/{id} (name, optional) → id · DELETE /2/plan/{id} → id
 *   GET /2/subscription_banks → banks, common_banks · POST /2/sms (phone) → sms_id
 *   POST /2/subscription → subscription · GET /2/subscription (criteria, count_only) → subscriptions
 *   GET /2/subscription/{id} → subscription · PUT|POST /2/subscription/{id} (amount, trial_end, optional) → id
 *   DELETE /2/subscription/{id}[?at_period_end=true] → id · GET /2/subscription/{id}/charges (spay) → charges
 *   POST /2/auth (name, id_no[, card_no[, mobile]]) → card_id, auth_result, auth_msg
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SubscriptionChargeRecord } from '../../sdk/subscription-types.ts';
import { verifyCardFactors } from '../core/card-auth.ts';
import { COMMON_BANKS, SUBSCRIPTION_BANKS } from '../core/subscriptions.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { authenticated, restBodyLimit, restRouteOptions, type RestContext } from './rest-context.ts';
import {
  planAnswer,
  planByIdQuery,
  planIdParams,
  smsAnswer,
  smsBody,
  subscriptionChargesAnswer,
  subscriptionChargesQuery,
  subscriptionIdParams,
  subscriptionBanksAnswer,
  subscriptionBanksQuery,
  subscriptionTags,
} from './subscription-schemas.ts';
import {
  planRecord,
  readCardFactors,
  readFlag,
  readPlanInput,
  readPlanQuery,
  readPlanUpdate,
  readSubscribeRequest,
  readSubscriptionQuery,
  readSubscriptionUpdate,
  subscriptionRecord,
} from './subscription-request.ts';

function idParam(request: FastifyRequest, field: string): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new BeeCloudError('PARAM_INVALID', field, 'is not a valid id');
  return id;
}

export function registerSubscriptionRoutes(server: FastifyInstance, rest: RestContext): void {
  const subscriptions = rest.gateway.core.subscriptions;
  const signed = (request: FastifyRequest) => authenticated(rest, request, 'payment');

  server.post('/2/plan', restRouteOptions, async (request) => {
    const { app, fields } = await signed(request);
    const plan = await subscriptions.createPlan(app, readPlanInput(fields));
    return { ...okAnswer(), plan: planRecord(plan) };
  });

  server.get('/2/plan', restRouteOptions, async (request) => {
    const { app, fields } = await signed(request);
    const { filter, paging, countOnly } = readPlanQuery(fields);
    if (countOnly) return { ...okAnswer(), total_count: await subscriptions.countPlans(app, filter) };
    const plans = await subscriptions.listPlans(app, filter, paging);
    return { ...okAnswer(), count: plans.length, plans: plans.map(planRecord) };
  });

  server.get(
    '/2/plan/:id',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'One plan by id',
      description: 'Signed with the app secret. A deleted plan is answered with valid false.',
      params: planIdParams,
      querystring: planByIdQuery,
      answer: planAnswer,
    }),
    async (request) => {
      const { app } = await signed(request);
      return { ...okAnswer(), plan: planRecord(await subscriptions.plan(app, idParam(request, 'plan_id'))) };
    },
  );

  const updatePlan = async (request: FastifyRequest) => {
    const { app, fields } = await signed(request);
    const id = await subscriptions.updatePlan(app, idParam(request, 'plan_id'), readPlanUpdate(fields));
    return { ...okAnswer(), id };
  };
  server.put('/2/plan/:id', restRouteOptions, updatePlan);
  server.post('/2/plan/:id', restRouteOptions, updatePlan);

  server.delete('/2/plan/:id', restRouteOptions, async (request) => {
    const { app } = await signed(request);
    return { ...okAnswer(), id: await subscriptions.deletePlan(app, idParam(request, 'plan_id')) };
  });

  server.get(
    '/2/subscription_banks',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'The banks a subscription can be paid from',
      description: 'Signed with the app secret.',
      querystring: subscriptionBanksQuery,
      answer: subscriptionBanksAnswer,
    }),
    async (request) => {
      await signed(request);
      return { ...okAnswer(), banks: [...SUBSCRIPTION_BANKS], common_banks: [...COMMON_BANKS] };
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().post(
    '/2/sms',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'Send an SMS passcode',
      description:
        'Signed with the app secret. The passcode confirms the payer’s mobile when subscribing (POST /2/subscription: sms_id, sms_code).',
      body: smsBody,
      answer: smsAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await signed(request);
      const { smsId } = await subscriptions.sendPasscode(app, request.body.phone);
      return { ...okAnswer(), sms_id: smsId };
    },
  );

  server.post('/2/subscription', restRouteOptions, async (request) => {
    const { app, fields } = await signed(request);
    const subscription = await subscriptions.subscribe(app, readSubscribeRequest(fields));
    return { ...okAnswer(), subscription: subscriptionRecord(subscription) };
  });

  server.get('/2/subscription', restRouteOptions, async (request) => {
    const { app, fields } = await signed(request);
    const { filter, paging, countOnly } = readSubscriptionQuery(fields);
    if (countOnly) return { ...okAnswer(), total_count: await subscriptions.countSubscriptions(app, filter) };
    const found = await subscriptions.listSubscriptions(app, filter, paging);
    return { ...okAnswer(), count: found.length, subscriptions: found.map(subscriptionRecord) };
  });

  server.get('/2/subscription/:id', restRouteOptions, async (request) => {
    const { app } = await signed(request);
    const subscription = await subscriptions.subscription(app, idParam(request, 'id'));
    return { ...okAnswer(), subscription: subscriptionRecord(subscription) };
  });

  server.get(
    '/2/subscription/:id/charges',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'A subscription’s charges (spay)',
      description: 'Signed with the app secret. One charge per period, with its tries.',
      params: subscriptionIdParams,
      querystring: subscriptionChargesQuery,
      answer: subscriptionChargesAnswer,
    }),
    async (request) => {
      const { app } = await signed(request);
      const charges = await subscriptions.charges(app, idParam(request, 'id'));
      return {
        ...okAnswer(),
        charges: charges.map((charge): SubscriptionChargeRecord => ({
          id: charge.id,
          period: charge.period,
          period_start: charge.periodStart,
          fee: charge.fee,
          status: charge.status,
          tries: charge.tries,
          ...(charge.nextTryAt !== null ? { next_try_at: charge.nextTryAt } : {}),
          ...(charge.message !== null ? { message: charge.message } : {}),
          created_at: charge.createdAt,
          ...(charge.finishedAt !== null ? { finished_at: charge.finishedAt } : {}),
        })),
      };
    },
  );

  const updateSubscription = async (request: FastifyRequest) => {
    const { app, fields } = await signed(request);
    const id = await subscriptions.updateSubscription(
      app,
      idParam(request, 'id'),
      readSubscriptionUpdate(fields),
    );
    return { ...okAnswer(), id };
  };
  server.put('/2/subscription/:id', restRouteOptions, updateSubscription);
  server.post('/2/subscription/:id', restRouteOptions, updateSubscription);

  server.delete('/2/subscription/:id', restRouteOptions, async (request) => {
    const { app, fields } = await signed(request);
    const atPeriodEnd = readFlag(fields, 'at_period_end');
    return { ...okAnswer(), id: await subscriptions.cancel(app, idParam(request, 'id'), atPeriodEnd) };
  });

  server.post('/2/auth', restRouteOptions, async (request) => {
    const { app, fields } = await signed(request);
    const outcome = verifyCardFactors(app, readCardFactors(fields));
    return {
      ...okAnswer(),
      card_id: outcome.cardId,
      auth_result: outcome.authResult,
      auth_msg: outcome.authMsg,
    };
  });
}
