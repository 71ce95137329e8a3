/**
 * Transfers (打款, reference: BeeCloud's transfer REST API): single transfers (WX_REDPACK, WX_TRANSFER,
 * ALI_TRANSFER), bank-card transfers (BC_TRANSFER) and Alipay batches. Every rule runs in one transaction: the
 * transfer_no check, the balance taken, the row written and, when it settled, its TRANSFER webhook.
 *
 * Live: a single ALI_TRANSFER goes through the app's Alipay adapter (alipay.fund.trans.uni.transfer), a
 * WX_TRANSFER through its WeChat Pay adapter (商家转账到零钱); every other live transfer (red packets, bank card,
 * Alipay batch) is refused (`channel_not_configured`). A test-mode app's
 * transfers run in the sandbox, which behaves as the channels did for BeeCloud's merchants:
 * - WX_REDPACK / WX_TRANSFER settle at once (BeeCloud answered result_code 0 for a transfer that was made);
 * - ALI_TRANSFER (single or batch) waits for the payer to confirm on Alipay's page (the answer's `url`): the
 *   sandbox page confirms or cancels it;
 * - BC_TRANSFER is accepted and settles moments later (`cardSettleMs`), its result only by webhook.
 * A receiver account containing "fail" or ending in "9999" is refused by the sandbox channel (documented test
 * accounts). Each app has a sandbox balance (`sandboxBalanceFen`); a transfer never takes more than is left, and
 * a failed transfer gives its money back.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { App } from '../apps/app.ts';
import type { Paging, RecordScope } from '../storage/record-filter.ts';
import type { Stores } from '../storage/store.ts';
import type { TransferFilter } from '../storage/transfer-store.ts';
import {
  transferFamily,
  type BankCard,
  type RedpackInfo,
  type Transfer,
  type TransferChannel,
} from '../transfers/transfer.ts';
import { enqueueWebhook } from '../webhooks/outbox.ts';
import type { CoreDeps } from './core-deps.ts';
import { DomainError } from './domain-error.ts';

export interface TransferOptions {
  /** What each app may transfer in the sandbox, in fen (default 10,000,000 = 100,000.00 yuan). */
  sandboxBalanceFen?: number;
  /** How long after its request the sandbox settles a bank-card transfer (default 3 s). */
  cardSettleMs?: number;
  /** How often due card transfers are settled (default 1 s). */
  settlePassMs?: number;
}

export const DEFAULT_SANDBOX_TRANSFER_BALANCE_FEN = 10_000_000;

export interface SingleTransferRequest {
  channel: 'WX_REDPACK' | 'WX_TRANSFER' | 'ALI_TRANSFER';
  transferNo: string;
  totalFee: number;
  desc: string;
  channelUserId: string;
  channelUserName?: string;
  redpack?: RedpackInfo;
  accountName?: string;
}

export interface CardTransferRequest {
  billNo: string;
  totalFee: number;
  title: string;
  card: BankCard;
  accountNo: string;
  accountName: string;
  optional?: Record<string, unknown>;
}

export interface BatchTransferItem {
  transferId: string;
  receiverAccount: string;
  receiverName: string;
  transferFee: number;
  transferNote: string;
}

export interface BatchTransferRequest {
  batchNo: string;
  accountName: string;
  items: BatchTransferItem[];
}

/** A transfer as the request's answer needs it: the row(s) and, for Alipay, the confirmation page. */
export interface TransferOutcome {
  transfers: Transfer[];
  /** Where the payer confirms an Alipay transfer (while it is processing), else null. */
  confirmUrl: string | null;
}

/** Whether the sandbox channel refuses this receiver (documented test accounts). */
export function sandboxRefusesReceiver(account: string): boolean {
  return /fail/i.test(account) || account.endsWith('9999');
}

const REFUSED_RECEIVER = 'the receiver account cannot take transfers (sandbox test account: refused)';

function sandboxTradeNo(): string {
  return `ST${Date.now()}${randomBytes(5).toString('hex')}`;
}

export class Transfers {
  private readonly sandboxBalanceFen: number;
  private readonly cardSettleMs: number;

  constructor(
    private readonly deps: CoreDeps,
    options: TransferOptions = {},
  ) {
    this.sandboxBalanceFen = options.sandboxBalanceFen ?? DEFAULT_SANDBOX_TRANSFER_BALANCE_FEN;
    this.cardSettleMs = options.cardSettleMs ?? 3000;
  }

  /** `POST /2/rest/transfer`: a red packet, a WeChat transfer or an Alipay transfer. */
  async transfer(app: App, request: SingleTransferRequest): Promise<TransferOutcome> {
    if (app.mode === 'live' && request.channel === 'ALI_TRANSFER')
      return this.liveChannelTransfer(app, request, 'ALI');
    if (app.mode === 'live' && request.channel === 'WX_TRANSFER')
      return this.liveChannelTransfer(app, request, 'WX');
    this.requireSandbox(app, request.channel);
    const scope = { appId: app.appId, mode: app.mode };
    const { outcome, enqueued } = await this.deps.store.transaction(async (stores) => {
      const existing = await stores.transfers.findByNo(scope, '', request.transferNo);
      if (existing !== undefined) {
        if (!sameSingleTransfer(existing, request)) throw duplicate('transfer_no', request.transferNo);
        return { outcome: this.outcomeOf([existing]), enqueued: false };
      }
      await this.take(stores, scope, request.totalFee);
      const now = this.deps.now();
      const alipay = request.channel === 'ALI_TRANSFER';
      const transfer: Transfer = {
        id: randomUUID(),
        appId: app.appId,
        mode: app.mode,
        channel: request.channel,
        transferNo: request.transferNo,
        batchNo: '',
        batchSeq: 0,
        totalFee: request.totalFee,
        title: request.desc,
        receiverAccount: request.channelUserId,
        receiverName: request.channelUserName ?? null,
        accountName: request.accountName ?? null,
        redpack: request.redpack ?? null,
        card: null,
        optional: null,
        status: 'PROCESSING',
        message: null,
        tradeNo: null,
        confirmToken: alipay ? randomUUID() : null,
        settleAt: null,
        createTime: now,
        finishTime: null,
      };
      const settled = alipay ? transfer : this.settledBySandbox(transfer, now);
      await this.insert(stores, settled, 'transfer_no');
      if (settled.status === 'FAIL') await stores.transfers.returnToBalance(scope, settled.totalFee);
      if (settled.status !== 'PROCESSING') await this.announce(stores, app, settled);
      return { outcome: this.outcomeOf([settled]), enqueued: settled.status !== 'PROCESSING' };
    });
    if (enqueued) this.deps.webhooksEnqueued();
    return outcome;
  }

  /**
   * A live app's ALI_TRANSFER through its Alipay adapter (alipay.fund.trans.uni.transfer, no password page), or
   * WX_TRANSFER through its WeChat Pay adapter (商家转账到零钱, settled asynchronously by WeChat): the transfer is
   * written PROCESSING, then sent (both channels are idempotent by the transfer_no), then settled with its webhook.
   * When the channel does not answer, or has not settled yet (WeChat), the transfer stays PROCESSING and the same
   * request asks again.
   */
  private async liveChannelTransfer(
    app: App,
    request: SingleTransferRequest,
    family: 'ALI' | 'WX',
  ): Promise<TransferOutcome> {
    const channelName = family === 'ALI' ? 'Alipay' : 'WeChat Pay';
    const adapter = this.deps.registry.liveAdapter(app, family);
    if (adapter?.transfer === undefined) this.requireSandbox(app, request.channel);
    const scope = { appId: app.appId, mode: app.mode };
    const transfer = await this.deps.store.transaction(async (stores) => {
      const existing = await stores.transfers.findByNo(scope, '', request.transferNo);
      if (existing !== undefined) {
        if (!sameSingleTransfer(existing, request)) throw duplicate('transfer_no', request.transferNo);
        return existing;
      }
      const created: Transfer = {
        id: randomUUID(),
        appId: app.appId,
        mode: app.mode,
        channel: request.channel,
        transferNo: request.transferNo,
        batchNo: '',
        batchSeq: 0,
        totalFee: request.totalFee,
        title: request.desc,
        receiverAccount: request.channelUserId,
        receiverName: request.channelUserName ?? null,
        accountName: request.accountName ?? null,
        redpack: null,
        card: null,
        optional: null,
        status: 'PROCESSING',
        message: null,
        tradeNo: null,
        confirmToken: null,
        settleAt: null,
        createTime: this.deps.now(),
        finishTime: null,
      };
      await this.insert(stores, created, 'transfer_no');
      return created;
    });
    if (transfer.status !== 'PROCESSING' || adapter?.transfer === undefined)
      return this.outcomeOf([transfer]);
    let result;
    try {
      result = await adapter.transfer({
        outBizNo: transfer.transferNo,
        totalFee: transfer.totalFee,
        payeeAccount: transfer.receiverAccount,
        payeeName: transfer.receiverName,
        title: transfer.title,
      });
    } catch (error) {
      this.deps.log('warn', `${channelName} transfer not settled`, {
        transferId: transfer.id,
        err: String(error),
      });
      throw new DomainError(
        'channel_unavailable',
        'channel',
        `${channelName} has not settled the transfer (${error instanceof Error ? error.message : 'no answer'}); it stays PROCESSING: send the same request again`,
      );
    }
    const now = this.deps.now();
    const settled: Transfer =
      result.status === 'SUCCESS'
        ? { ...transfer, status: 'SUCCESS', tradeNo: result.channelTransferNo, finishTime: now }
        : { ...transfer, status: 'FAIL', message: result.reason, finishTime: now };
    const changed = await this.deps.store.transaction(async (stores) => {
      const ok = await stores.transfers.settle(settled.id, {
        status: settled.status as 'SUCCESS' | 'FAIL',
        message: settled.message,
        tradeNo: settled.tradeNo,
        now,
      });
      if (ok) await this.announce(stores, app, settled);
      return ok;
    });
    if (changed) this.deps.webhooksEnqueued();
    const current = changed ? settled : await this.deps.store.transfers.findById(transfer.id);
    return this.outcomeOf([current ?? settled]);
  }

  /** `POST /2/rest/bc_transfer`: a transfer to a bank card through BeeCloud; its result comes by webhook. */
  async cardTransfer(app: App, request: CardTransferRequest): Promise<Transfer> {
    this.requireSandbox(app, 'BC_TRANSFER');
    const scope = { appId: app.appId, mode: app.mode };
    return this.deps.store.transaction(async (stores) => {
      const existing = await stores.transfers.findByNo(scope, '', request.billNo);
      if (existing !== undefined) {
        if (!sameCardTransfer(existing, request)) throw duplicate('bill_no', request.billNo);
        return existing;
      }
      await this.take(stores, scope, request.totalFee);
      const now = this.deps.now();
      const transfer: Transfer = {
        id: randomUUID(),
        appId: app.appId,
        mode: app.mode,
        channel: 'BC_TRANSFER',
        transferNo: request.billNo,
        batchNo: '',
        batchSeq: 0,
        totalFee: request.totalFee,
        title: request.title,
        receiverAccount: request.accountNo,
        receiverName: request.accountName,
        accountName: null,
        redpack: null,
        card: request.card,
        optional: request.optional ?? null,
        status: 'PROCESSING',
        message: null,
        tradeNo: null,
        confirmToken: null,
        settleAt: now + this.cardSettleMs,
        createTime: now,
        finishTime: null,
      };
      await this.insert(stores, transfer, 'bill_no');
      return transfer;
    });
  }

  /** `POST /2/rest/transfers`: an Alipay batch, confirmed by the payer on one page. */
  async batchTransfer(app: App, request: BatchTransferRequest): Promise<TransferOutcome> {
    this.requireSandbox(app, 'ALI_TRANSFER');
    const scope = { appId: app.appId, mode: app.mode };
    return this.deps.store.transaction(async (stores) => {
      const existing = await stores.transfers.findBatch(scope, request.batchNo);
      if (existing.length > 0) {
        if (!sameBatch(existing, request)) throw duplicate('batch_no', request.batchNo);
        return this.outcomeOf(existing);
      }
      const total = request.items.reduce((sum, item) => sum + item.transferFee, 0);
      await this.take(stores, scope, total);
      const now = this.deps.now();
      const token = randomUUID();
      const transfers: Transfer[] = [];
      for (const item of request.items) {
        const transfer: Transfer = {
          id: randomUUID(),
          appId: app.appId,
          mode: app.mode,
          channel: 'ALI_TRANSFER',
          transferNo: item.transferId,
          batchNo: request.batchNo,
          batchSeq: transfers.length,
          totalFee: item.transferFee,
          title: item.transferNote,
          receiverAccount: item.receiverAccount,
          receiverName: item.receiverName,
          accountName: request.accountName,
          redpack: null,
          card: null,
          optional: null,
          status: 'PROCESSING',
          message: null,
          tradeNo: null,
          confirmToken: token,
          settleAt: null,
          createTime: now,
          finishTime: null,
        };
        await this.insert(stores, transfer, 'batch_no');
        transfers.push(transfer);
      }
      return this.outcomeOf(transfers);
    });
  }

  /** The transfers behind a sandbox Alipay confirmation page (empty when the token is unknown). */
  async awaitingConfirmation(token: string): Promise<Transfer[]> {
    const transfers = await this.deps.store.transfers.findByConfirmToken(token);
    return transfers.filter((transfer) => transfer.mode === 'test');
  }

  /**
   * The payer's answer on the sandbox Alipay page: `confirm` makes every processing transfer behind the token
   * (refused receivers fail), `cancel` fails them all. Settled transfers stay as they are (a second click does
   * nothing). Returns the transfers as they now are.
   */
  async answerConfirmation(token: string, answer: 'confirm' | 'cancel'): Promise<Transfer[]> {
    let announced = 0;
    const result = await this.deps.store.transaction(async (stores) => {
      const transfers = (await stores.transfers.findByConfirmToken(token)).filter((t) => t.mode === 'test');
      const now = this.deps.now();
      const after: Transfer[] = [];
      for (const transfer of transfers) {
        if (transfer.status !== 'PROCESSING') {
          after.push(transfer);
          continue;
        }
        const settled =
          answer === 'confirm'
            ? this.settledBySandbox(transfer, now)
            : {
                ...transfer,
                status: 'FAIL' as const,
                message: 'the payer cancelled the transfer',
                finishTime: now,
              };
        if (await this.settle(stores, settled)) announced += 1;
        after.push(settled);
      }
      return after;
    });
    if (announced > 0) this.deps.webhooksEnqueued();
    return result;
  }

  /** Settles the sandbox's bank-card transfers whose time has come (the core's timer). */
  async settleDue(): Promise<number> {
    const ids = await this.deps.store.transfers.dueForSettling(this.deps.now(), 100);
    let settledCount = 0;
    for (const id of ids) {
      const settled = await this.deps.store.transaction(async (stores) => {
        const transfer = await stores.transfers.findById(id);
        if (transfer === undefined || transfer.status !== 'PROCESSING') return false;
        return this.settle(stores, this.settledBySandbox(transfer, this.deps.now()));
      });
      if (settled) settledCount += 1;
    }
    if (settledCount > 0) this.deps.webhooksEnqueued();
    return settledCount;
  }

  list(scope: RecordScope, filter: TransferFilter, paging: Paging): Promise<Transfer[]> {
    return this.deps.store.transfers.list(scope, filter, paging);
  }

  count(scope: RecordScope, filter: TransferFilter): Promise<number> {
    return this.deps.store.transfers.count(scope, filter);
  }

  /** What the app may still transfer (the sandbox balance, before its first transfer the full amount). */
  async balance(scope: RecordScope): Promise<number> {
    return (await this.deps.store.transfers.balance(scope)) ?? this.sandboxBalanceFen;
  }

  private requireSandbox(app: App, channel: TransferChannel): void {
    if (app.mode !== 'test') {
      throw new DomainError(
        'channel_not_configured',
        'channel',
        `${channel} transfers run in spay's sandbox only (live: ALI_TRANSFER with the app's Alipay settings): use the app in test mode`,
      );
    }
  }

  private async take(stores: Stores, scope: RecordScope, fee: number): Promise<void> {
    await stores.transfers.openBalance(scope, this.sandboxBalanceFen);
    if (!(await stores.transfers.takeFromBalance(scope, fee))) {
      const left = (await stores.transfers.balance(scope)) ?? 0;
      throw new DomainError(
        'balance_insufficient',
        'amount',
        `the app's transfer balance (${left} fen left in the sandbox) does not cover ${fee} fen`,
      );
    }
  }

  private async insert(stores: Stores, transfer: Transfer, subject: 'transfer_no' | 'bill_no' | 'batch_no') {
    if ((await stores.transfers.insert(transfer)) === 'duplicate') {
      throw duplicate(subject, subject === 'batch_no' ? transfer.batchNo : transfer.transferNo);
    }
  }

  /** The sandbox channel's verdict on a transfer it makes now. */
  private settledBySandbox(transfer: Transfer, now: number): Transfer {
    return sandboxRefusesReceiver(transfer.receiverAccount)
      ? { ...transfer, status: 'FAIL', message: REFUSED_RECEIVER, finishTime: now, settleAt: null }
      : { ...transfer, status: 'SUCCESS', tradeNo: sandboxTradeNo(), finishTime: now, settleAt: null };
  }

  /** Writes a settlement (once), gives a failure's money back and announces it; false when already settled. */
  private async settle(stores: Stores, settled: Transfer): Promise<boolean> {
    if (settled.status === 'PROCESSING') return false;
    const changed = await stores.transfers.settle(settled.id, {
      status: settled.status,
      message: settled.message,
      tradeNo: settled.tradeNo,
      now: settled.finishTime ?? this.deps.now(),
    });
    if (!changed) return false;
    const scope = { appId: settled.appId, mode: settled.mode };
    if (settled.status === 'FAIL') await stores.transfers.returnToBalance(scope, settled.totalFee);
    const app = await stores.apps.findApp(settled.appId);
    if (app !== undefined) await this.announce(stores, app, settled);
    return true;
  }

  /** The TRANSFER webhook of a settled transfer, in the transaction that settled it. */
  private async announce(stores: Stores, app: App, transfer: Transfer): Promise<void> {
    const status = transfer.status === 'SUCCESS' ? 'SUCCESS' : 'FAIL';
    await enqueueWebhook(
      stores,
      {
        app,
        mode: transfer.mode,
        transactionType: 'TRANSFER',
        transactionId: transfer.transferNo,
        channelType: transferFamily(transfer.channel),
        subChannelType: transfer.channel,
        transactionFee: transfer.totalFee,
        optional: transfer.optional,
        tradeSuccess: transfer.status === 'SUCCESS',
        messageDetail: {
          id: transfer.id,
          transfer_status: status,
          receiver_account: transfer.receiverAccount,
          ...(transfer.message !== null ? { message: transfer.message } : {}),
        },
        channelTransactionId: transfer.tradeNo ?? '',
        extraFields: {
          transfer_status: status,
          ...(transfer.batchNo !== '' ? { batch_no: transfer.batchNo } : {}),
        },
      },
      { now: this.deps.now() },
    );
  }

  private outcomeOf(transfers: Transfer[]): TransferOutcome {
    const waiting = transfers.find((t) => t.confirmToken !== null && t.status === 'PROCESSING');
    return {
      transfers,
      confirmUrl: waiting ? `${this.deps.publicUrl()}/sandbox/transfer/${waiting.confirmToken}` : null,
    };
  }
}

function duplicate(subject: 'transfer_no' | 'bill_no' | 'batch_no', value: string): DomainError {
  return new DomainError(
    'transfer_duplicate',
    subject,
    `${value} is already used by another transfer of this app (resend the same request to read it again)`,
  );
}

function sameSingleTransfer(existing: Transfer, request: SingleTransferRequest): boolean {
  return (
    existing.channel === request.channel &&
    existing.totalFee === request.totalFee &&
    existing.receiverAccount === request.channelUserId
  );
}

function sameCardTransfer(existing: Transfer, request: CardTransferRequest): boolean {
  return (
    existing.channel === 'BC_TRANSFER' &&
    existing.totalFee === request.totalFee &&
    existing.receiverAccount === request.accountNo
  );
}

function sameBatch(existing: Transfer[], request: BatchTransferRequest): boolean {
  if (existing.length !== request.items.length) return false;
  const byId = new Map(existing.map((transfer) => [transfer.transferNo, transfer]));
  return request.items.every((item) => {
    const transfer = byId.get(item.transferId);
    return (
      transfer !== undefined &&
      transfer.totalFee === item.transferFee &&
      transfer.receiverAccount === item.receiverAccount
    );
  });
}
