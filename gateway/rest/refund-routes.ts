/**
 * POST /2/rest/refund — a refund, or with need_approval a pre-refund (master secret).
 * PUT  /2/rest/refund — agree to or deny pre-refunds by id (master secret) → result_map.
 * GET  /2/rest/refunds, /2/rest/refunds/count, /2/rest/refund/{id}, /2/rest/refund/status — queries (app secret).
 */
import type { FastifyInstance } from 'fastify';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { refundRecord } from '../refunds/refund.ts';
import {
  readRefundApprovalRequest,
  readRefundListQuery,
  readRefundQuery,
  readRefundRequest,
  readRefundStatusRequest,
} from '../refunds/refund-request.ts';
import { channelFilterMatches } from './channel-filter.ts';
import { authenticated, restRouteOptions, type RestContext } from './rest-context.ts';

export function registerRefundRoutes(server: FastifyInstance, rest: RestContext): void {
  server.post('/2/rest/refund', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master', { oneUse: true });
    const refund = await rest.refunds.createRefund(app, readRefundRequest(fields));
    return { ...okAnswer(), id: refund.id };
  });

  server.put('/2/rest/refund', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master', { oneUse: true });
    const result_map = await rest.refunds.decidePreRefunds(app, readRefundApprovalRequest(fields));
    return { ...okAnswer(), result_map };
  });

  server.get('/2/rest/refunds', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const query = readRefundListQuery(fields);
    const refunds = await rest.refunds.records.queryRefunds({ ...query, appId: app.appId, mode: app.mode });
    return {
      ...okAnswer(),
      count: refunds.length,
      refunds: refunds.map((refund) => refundRecord(refund, query.needDetail)),
    };
  });

  server.get('/2/rest/refunds/count', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const count = await rest.refunds.records.countRefunds({
      ...readRefundQuery(fields),
      appId: app.appId,
      mode: app.mode,
    });
    return { ...okAnswer(), count };
  });

  server.get('/2/rest/refund/status', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const { channel, refundNo } = readRefundStatusRequest(fields);
    const refund = await rest.refunds.records.findByRefundNo(app.appId, app.mode, refundNo);
    if (refund === undefined || !channelFilterMatches(channel, refund.channel, refund.subChannel)) {
      throw new BeeCloudError('NO_SUCH_REFUND', 'refund_no', `no refund ${refundNo} on this channel`);
    }
    return { ...okAnswer(), refund_status: refundRecord(refund, false).refund_status };
  });

  server.get<{ Params: { id: string } }>('/2/rest/refund/:id', restRouteOptions, async (request) => {
    const { app } = await authenticated(rest, request, 'payment');
    const refund = await rest.refunds.records.findRefund(app.appId, app.mode, request.params.id);
    if (refund === undefined)
      throw new BeeCloudError('NO_SUCH_REFUND', 'id', `no refund ${request.params.id.slice(0, 64)}`);
    return { ...okAnswer(), refund: refundRecord(refund, true) };
  });
}
