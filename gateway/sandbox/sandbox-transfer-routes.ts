/**
 * The sandbox's Alipay transfer confirmation page — what the `url` of an ALI_TRANSFER answer (single or batch)
 * opens in test mode, standing in for Alipay's page where the payer enters the account's password:
 *   GET  /sandbox/transfer/{token}          the transfers waiting, with 确认付款 / 取消
 *   POST /sandbox/transfer/{token}/confirm  makes them (the sandbox refuses its test receivers: core/transfers.ts)
 *   POST /sandbox/transfer/{token}/cancel   fails them (the money goes back to the app's balance)
 * Each settled transfer sends its TRANSFER webhook.
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../gateway-context.ts';
import { sendPage } from '../http/send-page.ts';
import { formatYuan, html, page } from '../pages/html.ts';
import type { Transfer } from '../transfers/transfer.ts';
import { noticePage } from './sandbox-pages.ts';

const TOKEN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const statusText: Record<Transfer['status'], string> = {
  PROCESSING: '待确认',
  SUCCESS: '打款成功',
  FAIL: '打款失败',
};

export function transferConfirmPage(token: string, transfers: Transfer[]): string {
  const waiting = transfers.some((transfer) => transfer.status === 'PROCESSING');
  const total = transfers.reduce((sum, transfer) => sum + transfer.totalFee, 0);
  const first = transfers[0];
  const rows = transfers.map(
    (transfer) =>
      html`<tr data-transfer="${transfer.transferNo}">
        <td>${transfer.transferNo}</td>
        <td>${transfer.receiverAccount}</td>
        <td>${transfer.receiverName ?? ''}</td>
        <td class="amount">${formatYuan(transfer.totalFee)}</td>
        <td data-field="status">${statusText[transfer.status]}</td>
      </tr>`,
  );
  const actions = waiting
    ? html`<div class="actions">
        <form method="post" action="/sandbox/transfer/${token}/confirm">
          <button class="primary" type="submit">确认付款</button>
        </form>
        <form method="post" action="/sandbox/transfer/${token}/cancel">
          <button type="submit">取消</button>
        </form>
      </div>`
    : html`<p class="notice" role="status">已处理</p>`;
  return page(
    '支付宝企业打款 · 沙箱',
    html`<span class="sandbox">沙箱环境 · 支付宝企业打款</span>
      <h1>${first?.batchNo ? `批量打款 ${first.batchNo}` : '单笔打款'}</h1>
      <dl>
        <dt>付款方</dt>
        <dd data-field="account_name">${first?.accountName ?? ''}</dd>
        <dt>笔数</dt>
        <dd data-field="count">${transfers.length}</dd>
        <dt>总金额</dt>
        <dd class="amount" data-field="amount">${formatYuan(total)}</dd>
      </dl>
      <table>
        <thead>
          <tr>
            <th>流水号</th>
            <th>收款账户</th>
            <th>收款人</th>
            <th>金额</th>
            <th>状态</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
      ${actions}`,
  );
}

type Params = { Params: { token: string } };

export function registerSandboxTransferRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const transfers = ctx.core.transfers;
  const unknown = () => noticePage('打款不存在', '找不到这笔沙箱打款。');

  app.get<Params>('/sandbox/transfer/:token', async (request, reply) => {
    const { token } = request.params;
    const found = TOKEN.test(token) ? await transfers.awaitingConfirmation(token) : [];
    if (found.length === 0) return sendPage(reply, unknown(), 404);
    return sendPage(reply, transferConfirmPage(token, found));
  });

  for (const answer of ['confirm', 'cancel'] as const) {
    app.post<Params>(`/sandbox/transfer/:token/${answer}`, async (request, reply) => {
      const { token } = request.params;
      const settled = TOKEN.test(token) ? await transfers.answerConfirmation(token, answer) : [];
      if (settled.length === 0) return sendPage(reply, unknown(), 404);
      return reply.redirect(`/sandbox/transfer/${token}`, 303);
    });
  }
}
