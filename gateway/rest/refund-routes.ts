/**
 * POST /2/rest/refund — a refund, or with need_approval a pre-refund (master secret).
 * PUT  /2/rest/refund — agree to or deny pre-refunds by id (master secret) → result_map.
 * GET  /2/rest/refunds, /2/rest/refunds/count, /2/rest/refund/{id}, /2/rest/refund/status — queries (app secret).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { channelFilterMatches } from '../channels/channels.ts';
import type { ApprovalOutcome } from '../core/refunds.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { beeCloudErrorFor, resultNameFor } from '../http/domain-errors.ts';
import { refundRecord } from '../refunds/refund.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { pagingFrom } from './list-query.ts';
import {
  refundApprovalFrom,
  refundQueryFrom,
  refundRequestFrom,
  refundStatusFrom,
} from './refund-request.ts';
import {
  refundAnswerSchema,
  refundApprovalAnswer,
  refundApprovalSchema,
  refundByIdAnswer,
  refundByIdQuery,
  refundCountAnswer,
  refundCountQuery,
  refundListAnswer,
  refundListQuery,
  refundRequestSchema,
  refundStatusAnswer,
  refundStatusQuery,
} from './refund-schemas.ts';
import { IdParams } from './common-schemas.ts';
import { authenticated, restBodyLimit, type RestContext } from './rest-context.ts';

const tags = ['refunds'];
const master = 'Signed with the master secret; a legacy (timestamp, app_sign) is accepted once.';
const query =
  'Signed with the app secret. GET: the fields as `?para=` URL-encoded JSON (the BeeCloud SDKs), or as plain query parameters.';

/** One id's answer in result_map: "OK" or the reason, as BeeCloud wrote it. */
function approvalAnswer(outcome: ApprovalOutcome): string {
  if (outcome.ok) return 'OK';
  switch (outcome.refusal) {
    case 'no_such_refund':
      return 'NO_SUCH_REFUND';
    case 'not_pending':
      return 'NOT_PENDING_APPROVAL: the refund is not waiting for approval';
    case 'refused':
      return `${resultNameFor(outcome.error)}: ${beeCloudErrorFor(outcome.error, 'rest').detail}`;
  }
}

export function registerRefundRoutes(fastify: FastifyInstance, rest: RestContext): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const refunds = rest.gateway.core.refunds;

  server.post(
    '/2/rest/refund',
    schemaRoute({
      tags,
      summary: 'Refund a paid bill (or record a pre-refund)',
      description: master,
      body: refundRequestSchema,
      answer: refundAnswerSchema,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'master', { oneUse: true });
      const refund = await refunds.createRefund(app, refundRequestFrom(request.body));
      return okAnswer({ id: refund.id });
    },
  );

  const approvalRoute = schemaRoute({
    tags,
    summary: 'Agree to or deny pre-refunds',
    description: master,
    body: refundApprovalSchema,
    answer: refundApprovalAnswer,
    bodyLimit: restBodyLimit,
  });
  server.put('/2/rest/refund', approvalRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'master', { oneUse: true });
    const outcomes = await refunds.decidePreRefunds(app, refundApprovalFrom(request.body));
    const result_map = Object.fromEntries(
      Object.entries(outcomes).map(([id, outcome]) => [id, approvalAnswer(outcome)]),
    );
    return okAnswer({ result_map });
  });

  const listRoute = schemaRoute({
    tags,
    summary: 'List refunds',
    description: query,
    querystring: refundListQuery,
    answer: refundListAnswer,
  });
  server.get('/2/rest/refunds', listRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'payment');
    const filter = refundQueryFrom(request.query);
    const paging = pagingFrom(request.query);
    const found = await refunds.list({ appId: app.appId, mode: app.mode }, filter, paging);
    const needDetail = request.query.need_detail ?? false;
    return okAnswer({
      count: found.length,
      refunds: found.map((refund) => refundRecord(refund, needDetail)),
    });
  });

  const countRoute = schemaRoute({
    tags,
    summary: 'Count refunds',
    description: query,
    querystring: refundCountQuery,
    answer: refundCountAnswer,
  });
  server.get('/2/rest/refunds/count', countRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'payment');
    const count = await refunds.count({ appId: app.appId, mode: app.mode }, refundQueryFrom(request.query));
    return okAnswer({ count });
  });

  const statusRoute = schemaRoute({
    tags,
    summary: 'A refund’s status by refund_no',
    description: query,
    querystring: refundStatusQuery,
    answer: refundStatusAnswer,
  });
  server.get('/2/rest/refund/status', statusRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'payment');
    const { channel, refundNo } = refundStatusFrom(request.query);
    const refund = await refunds.findByRefundNo({ appId: app.appId, mode: app.mode }, refundNo);
    if (refund === undefined || !channelFilterMatches(channel, refund.channel, refund.subChannel)) {
      throw new BeeCloudError('NO_SUCH_REFUND', 'refund_no', `no refund ${refundNo} on this channel`);
    }
    return okAnswer({ refund_status: refundRecord(refund, false).refund_status });
  });

  const byIdRoute = schemaRoute({
    tags,
    summary: 'One refund by id',
    description: query,
    params: IdParams,
    querystring: refundByIdQuery,
    answer: refundByIdAnswer,
  });
  server.get('/2/rest/refund/:id', byIdRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'payment');
    const refund = await refunds.find({ appId: app.appId, mode: app.mode }, request.params.id);
    if (refund === undefined)
      throw new BeeCloudError('NO_SUCH_REFUND', 'id', `no refund ${request.params.id.slice(0, 64)}`);
    return okAnswer({ refund: refundRecord(refund, true) });
  });
}
