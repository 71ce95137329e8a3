/**
 * GET /2/rest/bills, /2/rest/bills/count, /2/rest/bill/{id} — the app's bills (app secret; test secret too in
 * test mode) — and their sandbox twins under /2/rest/sandbox/ (test secret, test bills). `GET bills` pages with
 * BeeCloud's `skip`/`limit` and, beside them, spay's keyset `cursor` (the previous page's `next_cursor`).
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { AppMode } from '../apps/app.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import type { SecretScope } from './app-auth.ts';
import {
  billAnswer,
  billByIdQuery,
  billCountAnswer,
  billCountQuery,
  billListAnswer,
  billListQuery,
} from './bill-query-schemas.ts';
import { IdParams } from './common-schemas.ts';
import { encodeListCursor } from './list-cursor.ts';
import { billQueryFrom, cursorFrom, pagingFrom } from './list-query.ts';
import { authenticated, billRecords, type RestContext } from './rest-context.ts';

interface BillPaths {
  prefix: string;
  scope: SecretScope;
  /** The bills' mode: the app's own, or always test for the sandbox paths. */
  mode(appMode: AppMode): AppMode;
  tag: string;
  secret: string;
}

const LIVE_PATHS: BillPaths = {
  prefix: '/2/rest',
  scope: 'payment',
  mode: (appMode) => appMode,
  tag: 'bills',
  secret: 'Signed with the app secret (a test-mode app: the test secret too).',
};
const SANDBOX_PATHS: BillPaths = {
  prefix: '/2/rest/sandbox',
  scope: 'sandbox',
  mode: () => 'test',
  tag: 'sandbox',
  secret: 'Signed with the test secret; test bills only.',
};

const getForm =
  'GET: the fields as `?para=` URL-encoded JSON (the BeeCloud SDKs), or as plain query parameters.';

function registerBillQueries(fastify: FastifyInstance, rest: RestContext, paths: BillPaths): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const description = `${paths.secret} ${getForm}`;
  server.get(
    `${paths.prefix}/bills`,
    schemaRoute({
      tags: [paths.tag],
      summary: 'List bills',
      description,
      querystring: billListQuery,
      answer: billListAnswer,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, paths.scope);
      const query = request.query;
      const { skip, limit } = pagingFrom(query);
      const payments = rest.gateway.core.payments;
      const found = await payments.listBills(
        { appId: app.appId, mode: paths.mode(app.mode) },
        billQueryFrom(query),
        { skip, limit, after: cursorFrom(query.cursor) },
      );
      const bills = await billRecords(
        rest,
        found.map((view) => view.bill),
        query.need_detail ?? false,
      );
      // A full page may have a next one: its cursor names this page's last bill (keyset paging, any depth).
      const last = found.length === limit ? found[found.length - 1]!.bill : undefined;
      return okAnswer({
        count: bills.length,
        bills,
        ...(last ? { next_cursor: encodeListCursor({ createTime: last.createTime, id: last.id }) } : {}),
      });
    },
  );

  server.get(
    `${paths.prefix}/bills/count`,
    schemaRoute({
      tags: [paths.tag],
      summary: 'Count bills',
      description,
      querystring: billCountQuery,
      answer: billCountAnswer,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, paths.scope);
      const count = await rest.gateway.core.payments.countBills(
        { appId: app.appId, mode: paths.mode(app.mode) },
        billQueryFrom(request.query),
      );
      return okAnswer({ count });
    },
  );

  server.get(
    `${paths.prefix}/bill/:id`,
    schemaRoute({
      tags: [paths.tag],
      summary: 'One bill by id',
      description,
      params: IdParams,
      querystring: billByIdQuery,
      answer: billAnswer,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, paths.scope);
      const bill = await rest.gateway.core.payments.findBill(request.params.id);
      if (bill === undefined || bill.appId !== app.appId || bill.mode !== paths.mode(app.mode)) {
        throw new BeeCloudError('NO_SUCH_BILL', 'id', `no bill ${request.params.id.slice(0, 64)}`);
      }
      const [pay] = await billRecords(rest, [bill], true);
      return okAnswer({ pay });
    },
  );
}

export function registerBillQueryRoutes(server: FastifyInstance, rest: RestContext): void {
  registerBillQueries(server, rest, LIVE_PATHS);
  registerBillQueries(server, rest, SANDBOX_PATHS);
}
