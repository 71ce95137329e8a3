/**
 * Merchant users and coupons, as BeeCloud's SDKs call them (`beecloud.user`, `beecloud.sales`):
 *   POST /2/rest/user                 register one buyer_id (app secret; test secret in test mode)
 *   POST /2/rest/users                register buyer_ids under a merchant account (`email`)
 *   GET  /2/rest/users                by account (`email`) and registration time → users
 *   PUT  /2/rest/history_bills        attach history bills to buyers (`bill_info`) → failed_bills
 *   POST /2/rest/coupon/template      create a template (master secret; spay: BeeCloud did this in its console)
 *   PUT  /2/rest/coupon/template/{id} move its status forward (master secret)
 *   GET  /2/rest/coupon/template[/{id}]   by id → coupon_template; by criteria → coupon_templates | total_count
 *   POST /2/rest/coupon               issue a coupon of a template to a user → coupon
 *   GET  /2/rest/coupon[/{id}]        by id → coupon; by criteria → coupons | total_count
 * Users and coupons belong to the app and its mode (a test-mode app's are test ones).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { App } from '../apps/app.ts';
import type { TemplateStatus } from '../coupons/coupon.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import {
  billInfoFrom,
  couponQueryFrom,
  couponRecord,
  templateInputFrom,
  templateQueryFrom,
  templateRecord,
  userRecord,
} from './coupon-request.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { IdParams } from './common-schemas.ts';
import { authenticated, restBodyLimit, type RestContext } from './rest-context.ts';
import { timeRangeFrom } from './list-query.ts';
import {
  byIdQuery,
  couponAnswer,
  couponBody,
  couponByIdAnswer,
  couponListAnswer,
  couponListQuery,
  couponTags,
  historyBillsAnswer,
  historyBillsBody,
  registerUserAnswer,
  registerUserBody,
  registerUsersBody,
  templateAnswer,
  templateBody,
  templateByIdAnswer,
  templateListAnswer,
  templateListQuery,
  templateStatusBody,
  userListAnswer,
  userListQuery,
  userTags,
} from './user-coupon-schemas.ts';

const master = 'Signed with the master secret (spay: BeeCloud did this in its console).';
const query =
  'Signed with the app secret. GET: the fields as `?para=` URL-encoded JSON (the BeeCloud SDKs), or as plain query parameters.';

function scopeOf(app: App) {
  return { appId: app.appId, mode: app.mode };
}

export function registerUserCouponRoutes(server: FastifyInstance, rest: RestContext): void {
  const { users, coupons } = rest.gateway.core;
  const now = () => Date.now();

  server.withTypeProvider<TypeBoxTypeProvider>().post(
    '/2/rest/user',
    schemaRoute({
      tags: userTags,
      summary: 'Register a merchant user',
      description: 'Signed with the app secret. Registering a user twice is not an error (created_count 0).',
      body: registerUserBody,
      answer: registerUserAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const { created } = await users.register(scopeOf(app), request.body.buyer_id.trim());
      return okAnswer({ created_count: created });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().post(
    '/2/rest/users',
    schemaRoute({
      tags: userTags,
      summary: 'Register merchant users in a batch',
      description: 'Signed with the app secret. created_count counts the users that were new.',
      body: registerUsersBody,
      answer: registerUserAnswer,
      bodyLimit: 256 * 1024,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const buyerIds = request.body.buyer_ids.map((buyerId) => buyerId.trim());
      if (buyerIds.length === 0) throw new BeeCloudError('MISS_PARAM', 'buyer_ids', 'must not be empty');
      const { created } = await users.registerBatch(scopeOf(app), request.body.email.trim(), buyerIds);
      return okAnswer({ created_count: created });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().get(
    '/2/rest/users',
    schemaRoute({
      tags: userTags,
      summary: 'List merchant users',
      description:
        'Signed with the app secret. GET: the fields as `?para=` URL-encoded JSON, or plain query parameters.',
      querystring: userListQuery,
      answer: userListAnswer,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const query = request.query;
      const found = await users.list(
        scopeOf(app),
        { merchant: query.email, ...timeRangeFrom(query) },
        { skip: query.skip ?? 0, limit: query.limit ?? 1000 },
      );
      return okAnswer({ users: found.map(userRecord) });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().put(
    '/2/rest/history_bills',
    schemaRoute({
      tags: userTags,
      summary: 'Attach history bills to merchant users',
      description:
        'Signed with the app secret. bill_info {buyer_id: [bill_no, …]}: each paid bill of the app is attached to its registered buyer; failed_bills answers the others.',
      body: historyBillsBody,
      answer: historyBillsAnswer,
      bodyLimit: 256 * 1024,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const failed = await users.attachHistoryBills(scopeOf(app), billInfoFrom(request.body));
      return okAnswer({ failed_bills: failed });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().post(
    '/2/rest/coupon/template',
    schemaRoute({
      tags: couponTags,
      summary: 'Create a coupon template',
      description: `${master} type 0: discount in yuan (or discount_fee in fen) off from limit_fee; type 1: the ratio paid.`,
      body: templateBody,
      answer: templateAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'master');
      const template = await coupons.createTemplate(scopeOf(app), templateInputFrom(request.body));
      return okAnswer({ id: template.id, coupon_template: templateRecord(template) });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().put(
    '/2/rest/coupon/template/:id',
    schemaRoute({
      tags: couponTags,
      summary: 'Move a coupon template’s status forward',
      description: `${master} 0 not started → 1 active → -1 stopped; never back.`,
      params: IdParams,
      body: templateStatusBody,
      answer: templateAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'master');
      const template = await coupons.setTemplateStatus(
        scopeOf(app),
        request.params.id,
        request.body.status as TemplateStatus,
      );
      return okAnswer({ id: template.id, coupon_template: templateRecord(template) });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().get(
    '/2/rest/coupon/template/:id',
    schemaRoute({
      tags: couponTags,
      summary: 'One coupon template by id',
      description: query,
      params: IdParams,
      querystring: byIdQuery,
      answer: templateByIdAnswer,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const template = await coupons.findTemplate(scopeOf(app), request.params.id);
      if (template === undefined) {
        throw new BeeCloudError(
          'PARAM_INVALID',
          'id',
          `no coupon template ${request.params.id.slice(0, 64)}`,
        );
      }
      return okAnswer({ coupon_template: templateRecord(template) });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().get(
    '/2/rest/coupon/template',
    schemaRoute({
      tags: couponTags,
      summary: 'List or count coupon templates',
      description: `${query} With count_only: total_count instead of coupon_templates.`,
      querystring: templateListQuery,
      answer: templateListAnswer,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const { filter, paging, countOnly } = templateQueryFrom(request.query);
      if (countOnly) return okAnswer({ total_count: await coupons.countTemplates(scopeOf(app), filter) });
      const found = await coupons.listTemplates(scopeOf(app), filter, paging);
      return okAnswer({ coupon_templates: found.map(templateRecord) });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().post(
    '/2/rest/coupon',
    schemaRoute({
      tags: couponTags,
      summary: 'Issue a coupon to a merchant user',
      description:
        'Signed with the app secret. The template must be active with coupons left (total_count, max_count_per_user); the user registered.',
      body: couponBody,
      answer: couponAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const { template_id: templateId, user_id: userId } = request.body;
      const coupon = await coupons.issue(scopeOf(app), templateId, userId.trim());
      return okAnswer({ id: coupon.id, coupon: couponRecord(coupon, now()) });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().get(
    '/2/rest/coupon/:id',
    schemaRoute({
      tags: couponTags,
      summary: 'One coupon by id',
      description: query,
      params: IdParams,
      querystring: byIdQuery,
      answer: couponByIdAnswer,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const coupon = await coupons.find(scopeOf(app), request.params.id);
      if (coupon === undefined) {
        throw new BeeCloudError('PARAM_INVALID', 'id', `no coupon ${request.params.id.slice(0, 64)}`);
      }
      return okAnswer({ coupon: couponRecord(coupon, now()) });
    },
  );

  server.withTypeProvider<TypeBoxTypeProvider>().get(
    '/2/rest/coupon',
    schemaRoute({
      tags: couponTags,
      summary: 'List or count coupons',
      description: `${query} With count_only: total_count instead of coupons.`,
      querystring: couponListQuery,
      answer: couponListAnswer,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const { filter, paging, countOnly } = couponQueryFrom(request.query, now());
      if (countOnly) return okAnswer({ total_count: await coupons.count(scopeOf(app), filter) });
      const found = await coupons.list(scopeOf(app), filter, paging);
      return okAnswer({ coupons: found.map((coupon) => couponRecord(coupon, now())) });
    },
  );
}
