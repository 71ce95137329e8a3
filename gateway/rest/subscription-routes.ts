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
 * Each route's request and answer schemas are in subscription-schemas.ts (Fastify validates with them, the handlers
 * are typed by them, /openapi.json describes them); subscription-request.ts keeps the rules a schema cannot say.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { SubscriptionChargeRecord } from '../../sdk/subscription-types.ts';
import { verifyCardFactors } from '../core/card-auth.ts';
import { COMMON_BANKS, SUBSCRIPTION_BANKS } from '../core/subscriptions.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { authenticated, restBodyLimit, type RestContext } from './rest-context.ts';
import {
  cardAuthAnswer,
  cardAuthBody,
  changedIdAnswer,
  flagValue,
  planAnswer,
  planBody,
  planByIdQuery,
  planDeleteQuery,
  planIdParams,
  planListAnswer,
  planListQuery,
  planUpdateBody,
  smsAnswer,
  smsBody,
  subscribeBody,
  subscriptionAnswer,
  subscriptionByIdQuery,
  subscriptionCancelQuery,
  subscriptionChargesAnswer,
  subscriptionChargesQuery,
  subscriptionIdParams,
  subscriptionBanksAnswer,
  subscriptionBanksQuery,
  subscriptionListAnswer,
  subscriptionListQuery,
  subscriptionTags,
  subscriptionUpdateBody,
} from './subscription-schemas.ts';
import {
  cardFactorsFrom,
  planInputFrom,
  planQueryFrom,
  planRecord,
  planUpdateFrom,
  subscribeInputFrom,
  subscriptionQueryFrom,
  subscriptionRecord,
  subscriptionUpdateFrom,
} from './subscription-request.ts';

function idParam(request: FastifyRequest, field: string): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) throw new BeeCloudError('PARAM_INVALID', field, 'is not a valid id');
  return id;
}

const signedWith = 'Signed with the app secret (a test-mode app: its test secret).';

export function registerSubscriptionRoutes(fastify: FastifyInstance, rest: RestContext): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const subscriptions = rest.gateway.core.subscriptions;
  const signed = (request: FastifyRequest) => authenticated(rest, request, 'payment');

  server.post(
    '/2/plan',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'Create a plan',
      description: `${signedWith} A plan’s fee and calendar never change once created (its subscribers agreed to them).`,
      body: planBody,
      answer: planAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await signed(request);
      const plan = await subscriptions.createPlan(app, planInputFrom(request.body));
      return okAnswer({ plan: planRecord(plan) });
    },
  );

  server.get(
    '/2/plan',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'List or count plans by criteria',
      description: `${signedWith} With count_only, the answer is total_count alone.`,
      querystring: planListQuery,
      answer: planListAnswer,
    }),
    async (request) => {
      const { app } = await signed(request);
      const { filter, paging, countOnly } = planQueryFrom(request.query);
      if (countOnly) return okAnswer({ total_count: await subscriptions.countPlans(app, filter) });
      const plans = await subscriptions.listPlans(app, filter, paging);
      return okAnswer({ count: plans.length, plans: plans.map(planRecord) });
    },
  );

  server.get(
    '/2/plan/:id',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'One plan by id',
      description: 'Signed with the app secret. A deleted plan is refused, naming plan_id.',
      params: planIdParams,
      querystring: planByIdQuery,
      answer: planAnswer,
    }),
    async (request) => {
      const { app } = await signed(request);
      return okAnswer({ plan: planRecord(await subscriptions.plan(app, idParam(request, 'plan_id'))) });
    },
  );

  const updatePlanRoute = schemaRoute({
    tags: subscriptionTags,
    summary: 'Rename a plan or change its optional',
    description: `${signedWith} PUT and POST alike. Its fee and calendar never change.`,
    params: planIdParams,
    body: planUpdateBody,
    answer: changedIdAnswer,
    bodyLimit: restBodyLimit,
  });
  for (const method of ['put', 'post'] as const) {
    server[method]('/2/plan/:id', updatePlanRoute, async (request) => {
      const { app } = await signed(request);
      const update = planUpdateFrom(request.body);
      return okAnswer({ id: await subscriptions.updatePlan(app, idParam(request, 'plan_id'), update) });
    });
  }

  server.delete(
    '/2/plan/:id',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'Delete a plan',
      description: `${signedWith} Nobody can subscribe to it any more; its subscriptions go on. Reading it by id is then refused, naming plan_id.`,
      params: planIdParams,
      querystring: planDeleteQuery,
      answer: changedIdAnswer,
    }),
    async (request) => {
      const { app } = await signed(request);
      return okAnswer({ id: await subscriptions.deletePlan(app, idParam(request, 'plan_id')) });
    },
  );

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
      return okAnswer({ banks: [...SUBSCRIPTION_BANKS], common_banks: [...COMMON_BANKS] });
    },
  );

  server.post(
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
      return okAnswer({ sms_id: smsId });
    },
  );

  server.post(
    '/2/subscription',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'Subscribe a payer to a plan',
      description: `${signedWith} With a confirmed card_id the subscription is valid at once; with a new card’s five factors it is pending until the bank’s review ends (a SUBSCRIPTION webhook). The passcode (sms_id, sms_code from POST /2/sms) confirms the card’s mobile.`,
      body: subscribeBody,
      answer: subscriptionAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await signed(request);
      const subscription = await subscriptions.subscribe(app, subscribeInputFrom(request.body));
      return okAnswer({ subscription: subscriptionRecord(subscription) });
    },
  );

  server.get(
    '/2/subscription',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'List or count subscriptions by criteria',
      description: `${signedWith} With count_only, the answer is total_count alone.`,
      querystring: subscriptionListQuery,
      answer: subscriptionListAnswer,
    }),
    async (request) => {
      const { app } = await signed(request);
      const { filter, paging, countOnly } = subscriptionQueryFrom(request.query);
      if (countOnly) return okAnswer({ total_count: await subscriptions.countSubscriptions(app, filter) });
      const found = await subscriptions.listSubscriptions(app, filter, paging);
      return okAnswer({ count: found.length, subscriptions: found.map(subscriptionRecord) });
    },
  );

  server.get(
    '/2/subscription/:id',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'One subscription by id',
      description: signedWith,
      params: subscriptionIdParams,
      querystring: subscriptionByIdQuery,
      answer: subscriptionAnswer,
    }),
    async (request) => {
      const { app } = await signed(request);
      const subscription = await subscriptions.subscription(app, idParam(request, 'id'));
      return okAnswer({ subscription: subscriptionRecord(subscription) });
    },
  );

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
      return okAnswer({
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
      });
    },
  );

  const updateSubscriptionRoute = schemaRoute({
    tags: subscriptionTags,
    summary: 'Change a subscription’s amount, trial_end or optional',
    description: `${signedWith} PUT and POST alike. A new amount counts from the next charge; trial_end changes only before the first charge.`,
    params: subscriptionIdParams,
    body: subscriptionUpdateBody,
    answer: changedIdAnswer,
    bodyLimit: restBodyLimit,
  });
  for (const method of ['put', 'post'] as const) {
    server[method]('/2/subscription/:id', updateSubscriptionRoute, async (request) => {
      const { app } = await signed(request);
      const update = subscriptionUpdateFrom(request.body);
      const id = await subscriptions.updateSubscription(app, idParam(request, 'id'), update);
      return okAnswer({ id });
    });
  }

  server.delete(
    '/2/subscription/:id',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'Cancel a subscription',
      description: `${signedWith} Now, or with at_period_end at the end of the current period. Cancelling twice answers the same.`,
      params: subscriptionIdParams,
      querystring: subscriptionCancelQuery,
      answer: changedIdAnswer,
    }),
    async (request) => {
      const { app } = await signed(request);
      const atPeriodEnd = flagValue(request.query.at_period_end);
      return okAnswer({ id: await subscriptions.cancel(app, idParam(request, 'id'), atPeriodEnd) });
    },
  );

  server.post(
    '/2/auth',
    schemaRoute({
      tags: subscriptionTags,
      summary: 'Check a card holder’s factors (鉴权)',
      description: `${signedWith} Two factors (name, id_no), three (+ card_no) or four (+ mobile). The sandbox bank answers for its test accounts; a live app is refused (no bank behind spay).`,
      body: cardAuthBody,
      answer: cardAuthAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await signed(request);
      const outcome = verifyCardFactors(app, cardFactorsFrom(request.body));
      return okAnswer({
        card_id: outcome.cardId,
        auth_result: outcome.authResult,
        auth_msg: outcome.authMsg,
      });
    },
  );
}
