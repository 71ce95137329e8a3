/**
 * Bills (list, CSV export, detail), refunds (create, list, decide), webhook deliveries (list, detail, resend,
 * receiver health), the dashboard and the audit log (docs/console-api.md). Lists are keyset-paged newest first.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { App, AppMode } from '../apps/app.ts';
import type { Bill } from '../bills/bill.ts';
import type { RefundStatus } from '../refunds/refund.ts';
import { chinaDay, type ConsoleBillFilter } from '../storage/console-query-store.ts';
import { ConsoleError, invalid } from './console-errors.ts';
import {
  bodyOf,
  encodeCursor,
  optionalBoolean,
  optionalText,
  queryChannel,
  queryCursor,
  queryFlag,
  queryLimit,
  queryText,
  queryTime,
  requiredBoolean,
  requiredInteger,
  stringList,
  oneOf,
  type Fields,
} from './console-input.ts';
import { consoleState, type ConsoleContext } from './console-module.ts';
import { consoleBill, consoleDelivery, consoleRefund } from './console-views.ts';

type AppParams = { Params: { appId: string }; Querystring: Fields };

const BILL_STATUSES = ['open', 'paid', 'closed', 'expired'] as const;
const REFUND_STATUSES: readonly RefundStatus[] = [
  'pending_approval',
  'processing',
  'succeeded',
  'failed',
  'denied',
];
const DELIVERY_STATUSES = ['pending', 'delivered', 'failed', 'no_endpoint'] as const;
const DAY_MS = 86_400_000;

function modeOf(query: Fields, app: App): AppMode {
  return oneOf(query, 'mode', ['test', 'live'] as const) ?? app.mode;
}

function billFilter(query: Fields, app: App): ConsoleBillFilter {
  const from = queryTime(query, 'from');
  const to = queryTime(query, 'to');
  if (from !== undefined && to !== undefined && to <= from) throw invalid('to', 'must be after from');
  return {
    appId: app.appId,
    mode: modeOf(query, app),
    channel: queryChannel(query),
    status: oneOf(query, 'status', BILL_STATUSES),
    billNo: queryText(query, 'billNo', 64),
    from,
    to,
  };
}

/** A CSV cell: quoted when needed; a leading = + - @ is defused (no formula injection in spreadsheets). */
function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function chinaDateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function registerRecordRoutes(scope: FastifyInstance, context: ConsoleContext): void {
  const { service, gateway } = context;
  const store = gateway.store;

  scope.get<AppParams>('/apps/:appId/bills', async (request) => {
    const app = await service.requireApp(request.params.appId);
    const filter = billFilter(request.query, app);
    const limit = queryLimit(request.query);
    const bills = await store.consoleQueries.bills(filter, { after: queryCursor(request.query), limit });
    const refunded = await store.consoleQueries.refundedFees(bills.map((bill) => bill.id));
    const last = bills.at(-1);
    return {
      bills: bills.map((bill) => consoleBill(bill, refunded.get(bill.id) ?? 0)),
      nextCursor: bills.length === limit && last ? encodeCursor(last.createTime, last.id) : null,
    };
  });

  scope.get<AppParams>('/apps/:appId/bills.csv', async (request, reply) => {
    const app = await service.requireApp(request.params.appId);
    const filter = billFilter(request.query, app);
    const queries = store.consoleQueries;
    async function* rows(): AsyncGenerator<string> {
      yield '\uFEFFid,bill_no,mode,channel,sub_channel,title,total_fee_fen,status,trade_no,create_time,paid_time,refunded_fee_fen\r\n';
      let after: { time: number; id: string } | undefined;
      for (;;) {
        const page: Bill[] = await queries.bills(filter, { after, limit: 500 });
        const refunded = await queries.refundedFees(page.map((bill) => bill.id));
        let chunk = '';
        for (const bill of page) {
          chunk += `${[
            bill.id,
            bill.billNo,
            bill.mode,
            bill.channel,
            bill.subChannel,
            bill.title,
            bill.totalFee,
            bill.status,
            bill.tradeNo,
            iso(bill.createTime),
            iso(bill.paidTime),
            refunded.get(bill.id) ?? 0,
          ]
            .map(csvCell)
            .join(',')}\r\n`;
        }
        if (chunk) yield chunk;
        const last = page.at(-1);
        if (page.length < 500 || !last) return;
        after = { time: last.createTime, id: last.id };
      }
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header(
        'content-disposition',
        `attachment; filename="bills-${app.appId.replace(/[^A-Za-z0-9_-]/g, '')}-${filter.mode}.csv"`,
      )
      .send(Readable.from(rows()));
  });

  scope.get<{ Params: { appId: string; billId: string } }>('/apps/:appId/bills/:billId', async (request) => {
    const app = await service.requireApp(request.params.appId);
    const billId = request.params.billId;
    const bill = billId.length <= 64 ? await store.bills.findBill(billId) : undefined;
    if (!bill || bill.appId !== app.appId)
      throw new ConsoleError('not_found', `no bill ${billId.slice(0, 64)}`, 'billId');
    const attempts = await store.bills.attemptsOf(app.appId, bill.mode, bill.billNo);
    const ids = attempts.map((attempt) => attempt.id);
    const refunded = await store.consoleQueries.refundedFees(ids);
    const refunds = await store.consoleQueries.refundsOfBills(ids);
    const webhooks = await store.consoleQueries.deliveriesOf(
      ids,
      refunds.map((refund) => refund.id),
    );
    return {
      bill: consoleBill(bill, refunded.get(bill.id) ?? 0),
      attempts: attempts.map((attempt) => consoleBill(attempt, refunded.get(attempt.id) ?? 0)),
      refunds: refunds.map(consoleRefund),
      webhooks: webhooks.map(consoleDelivery),
    };
  });

  scope.post<{ Params: { appId: string; billId: string } }>(
    '/apps/:appId/bills/:billId/refunds',
    async (request, reply) => {
      const fields = bodyOf(request.body);
      const input = {
        refundFee: requiredInteger(fields, 'refundFee', 1, Number.MAX_SAFE_INTEGER),
        refundNo: optionalText(fields, 'refundNo', { min: 1, max: 40 }),
        reason: optionalText(fields, 'reason', { max: 200 }),
        needApproval: optionalBoolean(fields, 'needApproval') ?? false,
      };
      const refund = await service.refund(
        consoleState(request).session.operatorName,
        request.params.appId,
        request.params.billId,
        input,
      );
      return reply.code(201).send({ refund: consoleRefund(refund) });
    },
  );

  scope.get<AppParams>('/apps/:appId/refunds', async (request) => {
    const app = await service.requireApp(request.params.appId);
    const query = request.query;
    const limit = queryLimit(query);
    const refunds = await store.consoleQueries.refunds(
      {
        appId: app.appId,
        mode: modeOf(query, app),
        channel: queryChannel(query),
        status: oneOf(query, 'status', REFUND_STATUSES),
        billNo: queryText(query, 'billNo', 64),
        from: queryTime(query, 'from'),
        to: queryTime(query, 'to'),
      },
      { after: queryCursor(query), limit },
    );
    const last = refunds.at(-1);
    return {
      refunds: refunds.map(consoleRefund),
      nextCursor: refunds.length === limit && last ? encodeCursor(last.createTime, last.id) : null,
    };
  });

  scope.post<AppParams>('/apps/:appId/refunds/decisions', async (request) => {
    const fields = bodyOf(request.body);
    const ids = stringList(fields, 'ids', { max: 100, itemMax: 64 });
    const agree = requiredBoolean(fields, 'agree');
    const denyReason = optionalText(fields, 'denyReason', { max: 200 });
    const results = await service.decide(
      consoleState(request).session.operatorName,
      request.params.appId,
      ids,
      agree,
      denyReason,
    );
    return { results };
  });

  scope.get<AppParams>('/apps/:appId/webhooks', async (request) => {
    const app = await service.requireApp(request.params.appId);
    const query = request.query;
    const limit = queryLimit(query);
    const deliveries = await store.consoleQueries.deliveries(
      {
        appId: app.appId,
        mode: modeOf(query, app),
        status: oneOf(query, 'status', DELIVERY_STATUSES),
        failing: queryFlag(query, 'failing'),
        billId: queryText(query, 'billId', 64),
      },
      { after: queryCursor(query), limit },
    );
    const last = deliveries.at(-1);
    return {
      deliveries: deliveries.map(consoleDelivery),
      nextCursor:
        deliveries.length === limit && last ? encodeCursor(Number(last.row.created_at), last.row.id) : null,
    };
  });

  scope.get<AppParams>('/apps/:appId/webhooks/health', async (request) => {
    const app = await service.requireApp(request.params.appId);
    const since = service.now() - DAY_MS;
    const health = async (mode: AppMode) => {
      const figures = await store.consoleQueries.receiverHealth(app.appId, mode, since);
      const sorted = [...figures.latencies].sort((a, b) => a - b);
      return {
        url: mode === 'test' ? app.webhookUrl : app.liveWebhookUrl,
        pending: figures.pending,
        failing: figures.failing,
        delivered24h: figures.deliveredSince,
        failed24h: figures.failedSince,
        lastDeliveredAt: figures.lastDeliveredAt,
        lastFailedAt: figures.lastFailedAt,
        medianLatencyMs: sorted.length === 0 ? null : sorted[Math.floor((sorted.length - 1) / 2)]!,
      };
    };
    return { test: await health('test'), live: await health('live') };
  });

  scope.get<{ Params: { appId: string; id: string } }>('/apps/:appId/webhooks/:id', async (request) => {
    const app = await service.requireApp(request.params.appId);
    const delivery = await store.consoleQueries.delivery(app.appId, request.params.id.slice(0, 128));
    if (!delivery) throw new ConsoleError('not_found', 'no delivery of this app with this id', 'id');
    return { delivery: consoleDelivery(delivery) };
  });

  scope.post<AppParams>('/apps/:appId/webhooks/resend', async (request) => {
    const ids = stringList(bodyOf(request.body), 'ids', { max: 100, itemMax: 128 });
    const results = await service.resend(
      consoleState(request).session.operatorName,
      request.params.appId,
      ids,
    );
    return { results };
  });

  scope.get<AppParams>('/apps/:appId/dashboard', async (request) => {
    const app = await service.requireApp(request.params.appId);
    const mode = modeOf(request.query, app);
    const today = chinaDay(service.now());
    const firstDay = today - 29;
    const since = firstDay * DAY_MS - 8 * 3_600_000;
    const figures = await store.consoleQueries.dashboard(app.appId, mode, since);
    const days = Array.from({ length: 30 }, (_, index) => {
      const day = firstDay + index;
      const channels: Record<string, { count: number; fee: number }> = {};
      let paidCount = 0;
      let paidFee = 0;
      for (const row of figures.paid.filter((entry) => entry.day === day)) {
        channels[row.subChannel] = { count: row.count, fee: row.fee };
        paidCount += row.count;
        paidFee += row.fee;
      }
      const orders = figures.orders.find((entry) => entry.day === day);
      const refunds = figures.refunds.find((entry) => entry.day === day);
      return {
        date: chinaDateOfDay(day),
        channels,
        paidCount,
        paidFee,
        billCount: orders?.created ?? 0,
        paidOrders: orders?.paid ?? 0,
        successRate: orders && orders.created > 0 ? orders.paid / orders.created : null,
        refundCount: refunds?.count ?? 0,
        refundFee: refunds?.fee ?? 0,
      };
    });
    const { paidOrders: _paidOrders, ...todayFigures } = days[days.length - 1]!;
    void _paidOrders;
    const created = days.reduce((sum, day) => sum + day.billCount, 0);
    const paidOrders = days.reduce((sum, day) => sum + day.paidOrders, 0);
    return {
      mode,
      today: todayFigures,
      last30Days: {
        paidCount: days.reduce((sum, day) => sum + day.paidCount, 0),
        paidFee: days.reduce((sum, day) => sum + day.paidFee, 0),
        billCount: created,
        successRate: created > 0 ? paidOrders / created : null,
        refundCount: days.reduce((sum, day) => sum + day.refundCount, 0),
        refundFee: days.reduce((sum, day) => sum + day.refundFee, 0),
      },
      days: days.map(({ paidOrders: _unused, ...day }) => day),
      webhooks: { pending: figures.pendingWebhooks, failing: figures.failingWebhooks },
    };
  });

  scope.get<{ Querystring: Fields }>('/audit', async (request) => {
    const query = request.query;
    const limit = queryLimit(query);
    const cursor = queryCursor(query);
    const appId = queryText(query, 'appId', 128);
    if (cursor !== undefined && !/^\d{1,15}$/.test(cursor.id))
      throw invalid('cursor', 'is not a cursor this API gave out');
    const entries = await store.console.auditEntries(
      { appId },
      { beforeId: cursor === undefined ? undefined : Number(cursor.id), limit },
    );
    const last = entries.at(-1);
    return {
      entries,
      nextCursor: entries.length === limit && last ? encodeCursor(last.at, String(last.id)) : null,
    };
  });
}
