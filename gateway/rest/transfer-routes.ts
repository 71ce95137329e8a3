/**
 * Transfers (打款), as BeeCloud's transfer REST API and its SDKs speak them:
 *   POST /2/rest/transfer            WX_REDPACK, WX_TRANSFER, ALI_TRANSFER (master secret) → id, url (Alipay)
 *   POST /2/rest/bc_transfer         to a bank card (master secret) → id; the result comes by webhook
 *   POST /2/rest/transfers           an Alipay batch (master secret) → url, ids
 *   GET  /2/rest/transfers, transfers/count   queries (app secret; test secret in test mode) → bills / count
 *   GET  /2/rest/bc_transfer/banks   the banks of BC_TRANSFER for an account type (no signature, as the SDKs send it)
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { banksFor } from '../transfers/banks.ts';
import { transferRecord } from '../transfers/transfer-record.ts';
import { pagingFrom } from './list-query.ts';
import { authenticated, restBodyLimit, type RestContext } from './rest-context.ts';
import {
  bankListTypeFrom,
  batchTransferRequestFrom,
  cardTransferRequestFrom,
  transferFilterFrom,
  transferRequestFrom,
} from './transfer-request.ts';
import {
  bankListAnswer,
  bankListQuery,
  batchTransferAnswerSchema,
  batchTransferRequestSchema,
  cardTransferAnswerSchema,
  cardTransferRequestSchema,
  transferAnswerSchema,
  transferCountAnswer,
  transferCountQuery,
  transferListAnswer,
  transferListQuery,
  transferRequestSchema,
} from './transfer-schemas.ts';

const tags = ['transfers'];
const master = 'Signed with the master secret; a legacy (timestamp, app_sign) is accepted once.';
const query =
  'Signed with the app secret (a test-mode app: the test secret too). GET: the fields as `?para=` URL-encoded JSON, or as plain query parameters.';

export function registerTransferRoutes(fastify: FastifyInstance, rest: RestContext): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const transfers = rest.gateway.core.transfers;

  const transferRoute = schemaRoute({
    tags,
    summary: 'A transfer: WeChat red packet, WeChat transfer, Alipay transfer',
    description: master,
    body: transferRequestSchema,
    answer: transferAnswerSchema,
    bodyLimit: restBodyLimit,
  });
  server.post('/2/rest/transfer', transferRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'master', { oneUse: true });
    const {
      transfers: [transfer],
      confirmUrl,
    } = await transfers.transfer(app, transferRequestFrom(request.body));
    if (transfer === undefined) throw new Error('a transfer request made no transfer');
    if (transfer.status === 'FAIL') {
      // WeChat answers a transfer it refused at once: BeeCloud passed that on as a channel error.
      throw new BeeCloudError('CHANNEL_ERROR', 'channel_user_id', transfer.message ?? 'the transfer failed');
    }
    return okAnswer({
      id: transfer.id,
      transfer_status: transfer.status,
      ...(confirmUrl !== null ? { url: confirmUrl } : {}),
    });
  });

  const cardRoute = schemaRoute({
    tags,
    summary: 'A transfer to a bank card',
    description: `${master} The result comes by webhook (TRANSFER).`,
    body: cardTransferRequestSchema,
    answer: cardTransferAnswerSchema,
    bodyLimit: restBodyLimit,
  });
  server.post('/2/rest/bc_transfer', cardRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'master', { oneUse: true });
    const transfer = await transfers.cardTransfer(app, cardTransferRequestFrom(request.body));
    return okAnswer({ id: transfer.id, transfer_status: transfer.status });
  });

  // A batch of 1000 items is well over the 64 KiB of the other endpoints.
  const batchRoute = schemaRoute({
    tags,
    summary: 'An Alipay batch transfer',
    description: master,
    body: batchTransferRequestSchema,
    answer: batchTransferAnswerSchema,
    bodyLimit: 1024 * 1024,
  });
  server.post('/2/rest/transfers', batchRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'master', { oneUse: true });
    const outcome = await transfers.batchTransfer(app, batchTransferRequestFrom(request.body));
    return okAnswer({
      ids: outcome.transfers.map((transfer) => transfer.id),
      ...(outcome.confirmUrl !== null ? { url: outcome.confirmUrl } : {}),
    });
  });

  const listRoute = schemaRoute({
    tags,
    summary: 'List transfers',
    description: query,
    querystring: transferListQuery,
    answer: transferListAnswer,
  });
  server.get('/2/rest/transfers', listRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'payment');
    const filter = transferFilterFrom(request.query);
    const found = await transfers.list(
      { appId: app.appId, mode: app.mode },
      filter,
      pagingFrom(request.query),
    );
    const needDetail = request.query.need_detail ?? false;
    return okAnswer({
      count: found.length,
      bills: found.map((transfer) => transferRecord(transfer, needDetail)),
    });
  });

  const countRoute = schemaRoute({
    tags,
    summary: 'Count transfers',
    description: query,
    querystring: transferCountQuery,
    answer: transferCountAnswer,
  });
  server.get('/2/rest/transfers/count', countRoute, async (request) => {
    const { app } = await authenticated(rest, request, 'payment');
    const count = await transfers.count(
      { appId: app.appId, mode: app.mode },
      transferFilterFrom(request.query),
    );
    return okAnswer({ count });
  });

  const banksRoute = schemaRoute({
    tags,
    summary: 'The banks of card transfers for an account type',
    description: 'No signature (as the SDKs ask).',
    querystring: bankListQuery,
    answer: bankListAnswer,
  });
  server.get('/2/rest/bc_transfer/banks', banksRoute, async (request) => {
    const banks = banksFor(bankListTypeFrom(request.query));
    // The Python SDK reads size + bank_list, the Java SDK banks.
    return okAnswer({ size: banks.length, bank_list: banks, banks });
  });
}
