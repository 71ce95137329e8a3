/**
 * The transfers store: transfers (single, bank card, items of an Alipay batch) and the per-app transfer balance.
 * A transfer_no is unique per (app, mode, batch_no): `insert` answers `duplicate` instead of failing when another
 * writer took it first. Settling is a conditional update (`PROCESSING` → `SUCCESS` | `FAIL`, once). The balance is
 * taken by a conditional update that never lets it go below zero, so concurrent transfers cannot overdraw it.
 */
import { sql, type Expression, type ExpressionBuilder, type Selectable, type SqlBool } from 'kysely';
import type { Transfer, TransferChannel, TransferStatus } from '../transfers/transfer.ts';
import type { Paging, RecordScope } from './record-filter.ts';
import type { GatewayTables, GatewayTx, TransferTable } from './tables.ts';

function parseJson<T>(text: string | null): T | null {
  return text === null ? null : (JSON.parse(text) as T);
}

function jsonOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

export function transferFromRow(row: Selectable<TransferTable>): Transfer {
  return {
    id: row.id,
    appId: row.app_id,
    mode: row.mode,
    channel: row.channel as TransferChannel,
    transferNo: row.transfer_no,
    batchNo: row.batch_no,
    batchSeq: Number(row.batch_seq),
    totalFee: Number(row.total_fee),
    title: row.title,
    receiverAccount: row.receiver_account,
    receiverName: row.receiver_name,
    accountName: row.account_name,
    redpack: parseJson(row.redpack),
    card: parseJson(row.card),
    optional: parseJson(row.optional),
    status: row.status,
    message: row.message,
    tradeNo: row.trade_no,
    confirmToken: row.confirm_token,
    settleAt: row.settle_at === null ? null : Number(row.settle_at),
    createTime: Number(row.create_time),
    finishTime: row.finish_time === null ? null : Number(row.finish_time),
  };
}

export interface TransferFilter {
  channel?: TransferChannel;
  transferNo?: string;
  batchNo?: string;
  status?: TransferStatus;
  startTime?: number;
  endTime?: number;
}

export class TransferStore {
  constructor(private readonly db: GatewayTx) {}

  /** Writes a new transfer; `duplicate` when its (batch_no, transfer_no) is already taken in its app and mode. */
  async insert(transfer: Transfer): Promise<'inserted' | 'duplicate'> {
    const result = await this.db
      .insertInto('transfers')
      .values({
        id: transfer.id,
        app_id: transfer.appId,
        mode: transfer.mode,
        channel: transfer.channel,
        transfer_no: transfer.transferNo,
        batch_no: transfer.batchNo,
        batch_seq: transfer.batchSeq,
        total_fee: transfer.totalFee,
        title: transfer.title,
        receiver_account: transfer.receiverAccount,
        receiver_name: transfer.receiverName,
        account_name: transfer.accountName,
        redpack: jsonOrNull(transfer.redpack),
        card: jsonOrNull(transfer.card),
        optional: jsonOrNull(transfer.optional),
        status: transfer.status,
        message: transfer.message,
        trade_no: transfer.tradeNo,
        confirm_token: transfer.confirmToken,
        settle_at: transfer.settleAt,
        create_time: transfer.createTime,
        finish_time: transfer.finishTime,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0 ? 'inserted' : 'duplicate';
  }

  async findById(id: string): Promise<Transfer | undefined> {
    const row = await this.db.selectFrom('transfers').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? transferFromRow(row) : undefined;
  }

  /** The single or card transfer with this transfer_no (batchNo ''), or one item of a batch. */
  async findByNo(scope: RecordScope, batchNo: string, transferNo: string): Promise<Transfer | undefined> {
    const row = await this.db
      .selectFrom('transfers')
      .selectAll()
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('batch_no', '=', batchNo)
      .where('transfer_no', '=', transferNo)
      .executeTakeFirst();
    return row ? transferFromRow(row) : undefined;
  }

  /** The items of an Alipay batch, in the order they were given. */
  async findBatch(scope: RecordScope, batchNo: string): Promise<Transfer[]> {
    const rows = await this.db
      .selectFrom('transfers')
      .selectAll()
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('batch_no', '=', batchNo)
      .orderBy('batch_seq')
      .execute();
    return rows.map(transferFromRow);
  }

  /** The transfers an Alipay confirmation page stands for (one, or a whole batch). */
  async findByConfirmToken(token: string): Promise<Transfer[]> {
    const rows = await this.db
      .selectFrom('transfers')
      .selectAll()
      .where('confirm_token', '=', token)
      .orderBy('batch_seq')
      .execute();
    return rows.map(transferFromRow);
  }

  async list(scope: RecordScope, filter: TransferFilter, paging: Paging): Promise<Transfer[]> {
    const rows = await this.db
      .selectFrom('transfers')
      .selectAll()
      .where((eb) => eb.and(conditions(eb, scope, filter)))
      .orderBy('create_time', 'desc')
      .orderBy('id', 'desc')
      .limit(paging.limit)
      .offset(paging.skip)
      .execute();
    return rows.map(transferFromRow);
  }

  async count(scope: RecordScope, filter: TransferFilter): Promise<number> {
    const row = await this.db
      .selectFrom('transfers')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where((eb) => eb.and(conditions(eb, scope, filter)))
      .executeTakeFirst();
    return Number(row?.count ?? 0);
  }

  /** Settles a processing transfer, once; false when it had already settled. */
  async settle(
    id: string,
    outcome: { status: 'SUCCESS' | 'FAIL'; message: string | null; tradeNo: string | null; now: number },
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('transfers')
      .set({
        status: outcome.status,
        message: outcome.message,
        trade_no: outcome.tradeNo,
        finish_time: outcome.now,
        settle_at: null,
      })
      .where('id', '=', id)
      .where('status', '=', 'PROCESSING')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Processing transfers the sandbox settles by itself whose time has come. */
  async dueForSettling(now: number, limit: number): Promise<string[]> {
    const rows = await this.db
      .selectFrom('transfers')
      .select('id')
      .where('status', '=', 'PROCESSING')
      .where('settle_at', 'is not', null)
      .where('settle_at', '<=', now)
      .orderBy('settle_at')
      .limit(limit)
      .execute();
    return rows.map((row) => row.id);
  }

  /** Opens the balance of (app, mode) at `initial` fen the first time it is used. */
  async openBalance(scope: RecordScope, initial: number): Promise<void> {
    await this.db
      .insertInto('transfer_balances')
      .values({ app_id: scope.appId, mode: scope.mode, balance: initial })
      .onConflict((oc) => oc.columns(['app_id', 'mode']).doNothing())
      .execute();
  }

  /** Takes `fee` from the balance if it covers it; false (and nothing taken) otherwise. */
  async takeFromBalance(scope: RecordScope, fee: number): Promise<boolean> {
    const result = await this.db
      .updateTable('transfer_balances')
      .set((eb) => ({ balance: eb('balance', '-', fee) }))
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .where('balance', '>=', fee)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  /** Gives back the fee of a transfer that failed. */
  async returnToBalance(scope: RecordScope, fee: number): Promise<void> {
    await this.db
      .updateTable('transfer_balances')
      .set((eb) => ({ balance: eb('balance', '+', fee) }))
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .execute();
  }

  async balance(scope: RecordScope): Promise<number | undefined> {
    const row = await this.db
      .selectFrom('transfer_balances')
      .select('balance')
      .where('app_id', '=', scope.appId)
      .where('mode', '=', scope.mode)
      .executeTakeFirst();
    return row === undefined ? undefined : Number(row.balance);
  }
}

function conditions(
  eb: ExpressionBuilder<GatewayTables, 'transfers'>,
  scope: RecordScope,
  filter: TransferFilter,
): Expression<SqlBool>[] {
  const list: Expression<SqlBool>[] = [eb('app_id', '=', scope.appId), eb('mode', '=', scope.mode)];
  if (filter.channel !== undefined) list.push(eb('channel', '=', filter.channel));
  if (filter.transferNo !== undefined) list.push(eb('transfer_no', '=', filter.transferNo));
  if (filter.batchNo !== undefined) list.push(eb('batch_no', '=', filter.batchNo));
  if (filter.status !== undefined) list.push(eb('status', '=', filter.status));
  if (filter.startTime !== undefined) list.push(eb('create_time', '>=', filter.startTime));
  if (filter.endTime !== undefined) list.push(eb('create_time', '<=', filter.endTime));
  return list.length > 0 ? list : [sql<SqlBool>`1 = 1`];
}
