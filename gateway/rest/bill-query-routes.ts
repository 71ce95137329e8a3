/**
 * GET /2/rest/bills, /2/rest/bills/count, /2/rest/bill/{id} — the app's bills (app secret; test secret too in
 * test mode) — and their sandbox twins under /2/rest/sandbox/ (test secret, test bills). `GET bills` pages with
 * BeeCloud's `skip`/`limit` and, beside them, spay's keyset `cursor` (the previous page's `next_cursor`).
 */
import type { FastifyInstance } from 'fastify';
import type { AppMode } from '../apps/app.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import type { SecretScope } from './app-auth.ts';
import { encodeListCursor } from './list-cursor.ts';
import { readBillListQuery, readBillQuery } from './list-query.ts';
import { authenticated, billRecords, restRouteOptions, type RestContext } from './rest-context.ts';

interface BillPaths {
  prefix: string;
  scope: SecretScope;
  /** The bills' mode: the app's own, or always test for the sandbox paths. */
  mode(appMode: AppMode): AppMode;
}

const LIVE_PATHS: BillPaths = { prefix: '/2/rest', scope: 'payment', mode: (appMode) => appMode };
const SANDBOX_PATHS: BillPaths = { prefix: '/2/rest/sandbox', scope: 'sandbox', mode: () => 'test' };

function registerBillQueries(server: FastifyInstance, rest: RestContext, paths: BillPaths): void {
  server.get(`${paths.prefix}/bills`, restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, paths.scope);
    const { skip, limit, needDetail, after, ...filter } = readBillListQuery(fields);
    const payments = rest.gateway.core.payments;
    const found = await payments.listBills({ appId: app.appId, mode: paths.mode(app.mode) }, filter, {
      skip,
      limit,
      after,
    });
    const bills = await billRecords(
      rest,
      found.map((view) => view.bill),
      needDetail,
    );
    // A full page may have a next one: its cursor names this page's last bill (keyset paging, any depth).
    const last = found.length === limit ? found[found.length - 1]!.bill : undefined;
    return {
      ...okAnswer(),
      count: bills.length,
      bills,
      ...(last ? { next_cursor: encodeListCursor({ createTime: last.createTime, id: last.id }) } : {}),
    };
  });

  server.get(`${paths.prefix}/bills/count`, restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, paths.scope);
    const count = await rest.gateway.core.payments.countBills(
      { appId: app.appId, mode: paths.mode(app.mode) },
      readBillQuery(fields),
    );
    return { ...okAnswer(), count };
  });

  server.get<{ Params: { id: string } }>(`${paths.prefix}/bill/:id`, restRouteOptions, async (request) => {
    const { app } = await authenticated(rest, request, paths.scope);
    const bill = await rest.gateway.core.payments.findBill(request.params.id);
    if (bill === undefined || bill.appId !== app.appId || bill.mode !== paths.mode(app.mode)) {
      throw new BeeCloudError('NO_SUCH_BILL', 'id', `no bill ${request.params.id.slice(0, 64)}`);
    }
    const [pay] = await billRecords(rest, [bill], true);
    return { ...okAnswer(), pay };
  });
}

export function registerBillQueryRoutes(server: FastifyInstance, rest: RestContext): void {
  registerBillQueries(server, rest, LIVE_PATHS);
  registerBillQueries(server, rest, SANDBOX_PATHS);
}
