/**
 * GET /2/rest/bill_public/{id}         — the bill's public status (what the old widget polled).
 * GET /2/rest/bill_public/{id}/events  — server-sent events: `event: status` with the same `pay` object at
 *                                        connect and at every change, a heartbeat comment every 15 s.
 */
import type { ServerResponse } from 'node:http';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { publicBillStatus, type Bill } from '../bills/bill.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { looksLikeBillId } from '../bills/bill-id.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { billIdParams, buttonTags, eventStreamAnswer, publicBillAnswer } from './button-schemas.ts';

export const heartbeatMs = 15_000;

export async function findPublicBill(ctx: GatewayContext, id: string): Promise<Bill> {
  if (!looksLikeBillId(id)) throw new BeeCloudError('NO_SUCH_BILL', 'id', 'is not a bill id', 404);
  const bill = await ctx.core.payments.findBill(id);
  if (!bill) throw new BeeCloudError('NO_SUCH_BILL', 'id', `no bill ${id}`, 404);
  return bill;
}

function statusEvent(bill: Bill): string {
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
    description: 'What the widget polls: safe for any browser (no secrets, no payer data).',
    params: billIdParams,
    answer: publicBillAnswer,
  });
  app.get('/2/rest/bill_public/:id', statusRoute, async (request, reply) => {
    const bill = await findPublicBill(ctx, request.params.id);
    reply.header('cache-control', 'no-store');
    return { ...okAnswer(), pay: publicBillStatus(bill) };
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
    const send = (current: Bill) => {
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
    send((await ctx.core.payments.findBill(bill.id)) ?? bill);
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
