/**
 * GET /2/rest/bill_public/{id}         — the bill's public status (what the old widget polled); JSONP with a
 *                                        `callback` in the query or inside `para` (BeeCloud's v4 script:
 *                                        `?para={"app_id":…,"callback":"queryFun"}`).
 * GET /2/rest/bill_public/{id}/events  — server-sent events: `event: status` with the same `pay` object at
 *                                        connect and at every change, a heartbeat comment every 15 s.
 */
import type { ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { publicBillStatus, type BillStatusFields } from '../bills/bill.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { looksLikeBillId } from '../bills/bill-id.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { billIdParams, buttonTags, eventStreamAnswer, publicBillAnswer } from './button-schemas.ts';
import { toBeeCloudError } from '../http/error-handler.ts';
import { readJsonpRequest, sendJsonp } from './jsonp.ts';

export const heartbeatMs = 15_000;

/**
 * The bill behind a public status request. `appId`, when the page names one (`para.app_id`, as BeeCloud's v4
 * script sends it), must be the bill's app: another app's bill is "no such bill", like an unknown id.
 */
export async function findPublicBill(
  ctx: GatewayContext,
  id: string,
  appId?: string,
): Promise<BillStatusFields> {
  if (!looksLikeBillId(id)) throw new BeeCloudError('NO_SUCH_BILL', 'id', 'is not a bill id', 404);
  const bill = await ctx.core.payments.findBillStatus(id);
  if (!bill || (appId !== undefined && bill.appId !== appId)) {
    throw new BeeCloudError('NO_SUCH_BILL', 'id', `no bill ${id}`, 404);
  }
  return bill;
}

/** `para.app_id` when the request names an app (a string), else undefined; anything else is refused. */
function appIdOf(para: unknown): string | undefined {
  if (para === undefined) return undefined;
  if (typeof para !== 'object' || para === null || Array.isArray(para)) {
    throw new BeeCloudError('PARAM_INVALID', 'para', 'must be a JSON object');
  }
  const appId = (para as Record<string, unknown>).app_id;
  if (appId === undefined || appId === '') return undefined;
  if (typeof appId !== 'string') throw new BeeCloudError('PARAM_INVALID', 'app_id', 'must be a string');
  return appId;
}

function statusEvent(bill: BillStatusFields): string {
  return `event: status\nid: ${bill.version}\ndata: ${JSON.stringify(publicBillStatus(bill))}\n\n`;
}

export function registerBillStatusRoutes(fastify: FastifyInstance, ctx: GatewayContext): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const openStreams = new Set<ServerResponse>();
  app.addHook('preClose', async () => {
    for (const stream of openStreams) stream.end();
  });

  const statusRoute = schemaRoute({
    tags: buttonTags,
    summary: 'A bill’s public status',
    description:
      'What the widget polls: safe for any browser (no secrets, no payer data). Also as JSONP (`?para={"app_id":…}&callback=fn`, or BeeCloud’s v4 script with the callback inside `para`): errors then come back through the callback too.',
    params: billIdParams,
    answer: publicBillAnswer,
    config: { edge: 'button' },
  });
  app.get('/2/rest/bill_public/:id', statusRoute, async (request, reply) => {
    const { callback, para, paraError } = readJsonpRequest(request);
    if (callback === undefined) {
      if (paraError !== undefined) throw paraError;
      const bill = await findPublicBill(ctx, request.params.id, appIdOf(para));
      reply.header('cache-control', 'no-store');
      return okAnswer({ pay: publicBillStatus(bill) });
    }
    // JSONP (BeeCloud's v4 script polls `?para={"app_id":…,"callback":"queryFun"}`): errors come back through
    // the callback too, so the page's poll sees them.
    let answer: unknown;
    try {
      if (paraError !== undefined) throw paraError;
      const bill = await findPublicBill(ctx, request.params.id, appIdOf(para));
      answer = okAnswer({ pay: publicBillStatus(bill) });
    } catch (error) {
      const known = toBeeCloudError(error as Error, 'button');
      if (!known) throw error;
      answer = known.toAnswer();
    }
    return sendJsonp(reply, callback, answer);
  });

  const eventsRoute = schemaRoute({
    tags: buttonTags,
    summary: 'A bill’s public status as server-sent events',
    params: billIdParams,
    answer: eventStreamAnswer,
    answerContentType: 'text/event-stream',
  });
  app.get('/2/rest/bill_public/:id/events', eventsRoute, async (request, reply) => {
    const bill = await findPublicBill(ctx, request.params.id);
    reply.hijack();
    const stream = reply.raw;
    const origin = request.headers.origin;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      ...(origin ? { 'access-control-allow-origin': origin, vary: 'Origin' } : {}),
    });
    openStreams.add(stream);
    let lastVersion = -1;
    // A change is pushed once its commit is on disk (the store's group commit), like every other answer.
    const send = (current: BillStatusFields) => {
      void ctx.store.durable().then(
        () => {
          if (current.version <= lastVersion || stream.writableEnded) return;
          lastVersion = current.version;
          stream.write(statusEvent(current));
        },
        () => stream.end(),
      );
    };
    const unsubscribe = ctx.core.events.onBillChange(bill.id, send);
    stream.write('retry: 3000\n\n');
    // Read again after subscribing so a change between the first read and the subscription is not missed.
    send((await ctx.core.payments.findBillStatus(bill.id)) ?? bill);
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), heartbeatMs);
    heartbeat.unref();
    const cleanUp = () => {
      clearInterval(heartbeat);
      unsubscribe();
      openStreams.delete(stream);
    };
    request.raw.on('close', cleanUp);
    stream.on('close', cleanUp);
  });
}
