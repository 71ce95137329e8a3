/**
 * Transfers (打款), as BeeCloud's transfer REST API and its SDKs speak them:
 *   POST /2/rest/transfer            WX_REDPACK, WX_TRANSFER, ALI_TRANSFER (master secret) → id, url (Alipay)
 *   POST /2/rest/bc_transfer         to a bank card (master secret) → id; the result comes by webhook
 *   POST /2/rest/transfers           an Alipay batch (master secret) → url, ids
 *   GET  /2/rest/transfers, transfers/count   queries (app secret; test secret in test mode) → bills / count
 *   GET  /2/rest/bc_transfer/banks   the banks of BC_TRANSFER for an account type (no signature, as the SDKs send it)
 */
import type { FastifyInstance } from 'fastify';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { banksFor } from '../transfers/banks.ts';
import { transferRecord } from '../transfers/transfer-record.ts';
import { authenticated, restRouteOptions, type RestContext } from './rest-context.ts';
import { readQueryFields } from './request-params.ts';
import {
  readBankListQuery,
  readBatchTransferRequest,
  readCardTransferRequest,
  readTransferListQuery,
  readTransferQuery,
  readTransferRequest,
} from './transfer-request.ts';

export function registerTransferRoutes(server: FastifyInstance, rest: RestContext): void {
  const transfers = rest.gateway.core.transfers;

  server.post('/2/rest/transfer', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master', { oneUse: true });
    const {
      transfers: [transfer],
      confirmUrl,
    } = await transfers.transfer(app, readTransferRequest(fields));
    if (transfer === undefined) throw new Error('a transfer request made no transfer');
    if (transfer.status === 'FAIL') {
      // WeChat answers a transfer it refused at once: BeeCloud passed that on as a channel error.
      throw new BeeCloudError('CHANNEL_ERROR', 'channel_user_id', transfer.message ?? 'the transfer failed');
    }
    return {
      ...okAnswer(),
      id: transfer.id,
      transfer_status: transfer.status,
      ...(confirmUrl !== null ? { url: confirmUrl } : {}),
    };
  });

  server.post('/2/rest/bc_transfer', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master', { oneUse: true });
    const transfer = await transfers.cardTransfer(app, readCardTransferRequest(fields));
    return { ...okAnswer(), id: transfer.id, transfer_status: transfer.status };
  });

  // A batch of 1000 items is well over the 64 KiB of the other endpoints.
  server.post('/2/rest/transfers', { bodyLimit: 1024 * 1024 }, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master', { oneUse: true });
    const outcome = await transfers.batchTransfer(app, readBatchTransferRequest(fields));
    return {
      ...okAnswer(),
      ids: outcome.transfers.map((transfer) => transfer.id),
      ...(outcome.confirmUrl !== null ? { url: outcome.confirmUrl } : {}),
    };
  });

  server.get('/2/rest/transfers', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const { filter, skip, limit, needDetail } = readTransferListQuery(fields);
    const found = await transfers.list({ appId: app.appId, mode: app.mode }, filter, { skip, limit });
    return {
      ...okAnswer(),
      count: found.length,
      bills: found.map((transfer) => transferRecord(transfer, needDetail)),
    };
  });

  server.get('/2/rest/transfers/count', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const count = await transfers.count({ appId: app.appId, mode: app.mode }, readTransferQuery(fields));
    return { ...okAnswer(), count };
  });

  server.get('/2/rest/bc_transfer/banks', restRouteOptions, async (request) => {
    const banks = banksFor(readBankListQuery(readQueryFields(request.query)));
    // The Python SDK reads size + bank_list, the Java SDK banks.
    return { ...okAnswer(), size: banks.length, bank_list: banks, banks };
  });
}
