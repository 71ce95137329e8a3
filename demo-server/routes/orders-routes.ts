/**
 * The merchant's back office: `GET /orders` (the page), `GET /orders/events` (its live updates, server-sent
 * events), `GET /orders.json`, and `POST /orders/{out_trade_no}/refund` (refund through the SDK).
 */
import type { FastifyInstance } from 'fastify';
import type { ServerResponse } from 'node:http';
import type { DemoContext } from '../demo-context.ts';
import type { Order } from '../orders/order-store.ts';
import { messagePage, orderRow, orderRowId, ordersPage } from '../pages/orders-page.ts';
import { requestFullRefund } from '../refunds/request-refund.ts';
import { siteUrl } from './shop-routes.ts';

const HEARTBEAT_MS = 15_000;

function orderEvent(order: Order): string {
  const data = JSON.stringify({
    outTradeNo: order.outTradeNo,
    status: order.status,
    row: orderRow(order).text,
  });
  return `event: order\ndata: ${data}\n\n`;
}

export function registerOrdersRoutes(server: FastifyInstance, context: DemoContext): void {
  const streams = new Set<ServerResponse>();
  server.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
    streams.clear();
  });

  server.get('/orders', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return reply.type('text/html; charset=utf-8').send(ordersPage(context.orders.listOrders()).text);
  });

  server.get('/orders.json', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return reply.send({ orders: context.orders.listOrders() });
  });

  server.get('/orders/events', (request, reply) => {
    reply.hijack();
    const stream = reply.raw;
    stream.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
    });
    // The current rows first: a change made between the page's rendering and this connection is not lost.
    stream.write('retry: 2000\n\n');
    for (const order of context.orders.listOrders().reverse()) stream.write(orderEvent(order));
    const unsubscribe = context.orders.onChange((order) => stream.write(orderEvent(order)));
    const heartbeat = setInterval(() => stream.write(': heartbeat\n\n'), HEARTBEAT_MS);
    streams.add(stream);
    request.raw.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(stream);
    });
  });

  server.post('/orders/:outTradeNo/refund', async (request, reply) => {
    // A form on another site must not refund our orders (the browser sends Origin with cross-site POSTs).
    const origin = request.headers.origin;
    if (origin !== undefined && origin !== siteUrl(request)) {
      return reply
        .code(403)
        .type('text/html; charset=utf-8')
        .send(messagePage('无法退款', '退款请求必须来自本站的订单页。').text);
    }
    const { outTradeNo } = request.params as { outTradeNo: string };
    const outcome = await requestFullRefund(context.orders, context.client, outTradeNo);
    if (!outcome.ok && outcome.refundNo === undefined) {
      return reply
        .code(409)
        .type('text/html; charset=utf-8')
        .send(messagePage('无法退款', outcome.reason).text);
    }
    // Accepted or refused by the gateway: the orders page shows the refund's state on the order's row.
    return reply.redirect(`/orders#${orderRowId(outTradeNo)}`, 303);
  });
}
