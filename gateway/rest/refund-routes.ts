/**
 * POST /2/rest/refund — a refund, or with need_approval a pre-refund (master secret).
 * PUT  /2/rest/refund — agree to or deny pre-refunds by id (master secret) → result_map.
 * GET  /2/rest/refunds, /2/rest/refunds/count, /2/rest/refund/{id}, /2/rest/refund/status — queries (app secret).
 */
import type { FastifyInstance } from 'fastify';
import { channelFilterMatches } from '../channels/channels.ts';
import type { ApprovalOutcome } from '../core/refunds.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { beeCloudErrorFor, resultNameFor } from '../http/domain-errors.ts';
import { refundRecord } from '../refunds/refund.ts';
import {
  readRefundApprovalRequest,
  readRefundListQuery,
  readRefundQuery,
  readRefundRequest,
  readRefundStatusRequest,
} from './refund-request.ts';
import { authenticated, restRouteOptions, type RestContext } from './rest-context.ts';

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

export function registerRefundRoutes(server: FastifyInstance, rest: RestContext): void {
  const refunds = rest.gateway.core.refunds;

  server.post('/2/rest/refund', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master', { oneUse: true });
    const refund = await refunds.createRefund(app, readRefundRequest(fields));
    return { ...okAnswer(), id: refund.id };
  });

  server.put('/2/rest/refund', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master', { oneUse: true });
    const outcomes = await refunds.decidePreRefunds(app, readRefundApprovalRequest(fields));
    const result_map = Object.fromEntries(
      Object.entries(outcomes).map(([id, outcome]) => [id, approvalAnswer(outcome)]),
    );
    return { ...okAnswer(), result_map };
  });

  server.get('/2/rest/refunds', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const { skip, limit, needDetail, ...filter } = readRefundListQuery(fields);
    const found = await refunds.list({ appId: app.appId, mode: app.mode }, filter, { skip, limit });
    return {
      ...okAnswer(),
      count: found.length,
      refunds: found.map((refund) => refundRecord(refund, needDetail)),
    };
  });

  server.get('/2/rest/refunds/count', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const count = await refunds.count({ appId: app.appId, mode: app.mode }, readRefundQuery(fields));
    return { ...okAnswer(), count };
  });

  server.get('/2/rest/refund/status', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const { channel, refundNo } = readRefundStatusRequest(fields);
    const refund = await refunds.findByRefundNo({ appId: app.appId, mode: app.mode }, refundNo);
    if (refund === undefined || !channelFilterMatches(channel, refund.channel, refund.subChannel)) {
      throw new BeeCloudError('NO_SUCH_REFUND', 'refund_no', `no refund ${refundNo} on this channel`);
    }
    return { ...okAnswer(), refund_status: refundRecord(refund, false).refund_status };
  });

  server.get<{ Params: { id: string } }>('/2/rest/refund/:id', restRouteOptions, async (request) => {
    const { app } = await authenticated(rest, request, 'payment');
    const refund = await refunds.find({ appId: app.appId, mode: app.mode }, request.params.id);
    if (refund === undefined)
      throw new BeeCloudError('NO_SUCH_REFUND', 'id', `no refund ${request.params.id.slice(0, 64)}`);
    return { ...okAnswer(), refund: refundRecord(refund, true) };
  });
}
