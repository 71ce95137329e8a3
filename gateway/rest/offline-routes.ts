/**
 * BeeCloud's offline (线下) REST API, through the core's `CounterPayments` and `Payments`:
 *   POST /2/rest/offline/bill              WX_SCAN / ALI_SCAN (auth_code) → pay_result; WX_NATIVE / ALI_OFFLINE_QRCODE → code_url
 *   POST /2/rest/offline/bill/status       → pay_result (asks the channel about an open bill first)
 *   POST /2/rest/offline/bill/{bill_no}    method REVERT → revert_status
 *   POST /2/rest/offline/refund            (master secret) → id, refund_result
 * Bills are made in the app's mode (test: the sandbox), as `POST /2/rest/bill`.
 */
import type { FastifyInstance } from 'fastify';
import { okAnswer } from '../errors/result-codes.ts';
import {
  readOfflinePayRequest,
  readOfflineRefundRequest,
  readOfflineStatusRequest,
  readRevertRequest,
} from './offline-request.ts';
import type { PayRequest } from './pay-request.ts';
import { authenticated, restRouteOptions, type RestContext } from './rest-context.ts';
import type { App } from '../apps/app.ts';
import type { PaymentRequest } from '../core/payments.ts';
import { BeeCloudError } from '../errors/result-codes.ts';

/** The core's payment request for a REST pay request. */
export function paymentRequestOf(app: App, pay: PayRequest, payerIp: string): PaymentRequest {
  return {
    app,
    mode: app.mode,
    channel: pay.channel,
    billNo: pay.billNo,
    title: pay.title,
    totalFee: pay.totalFee,
    returnUrl: pay.returnUrl ?? null,
    notifyUrl: pay.notifyUrl ?? null,
    optional: pay.optional ?? null,
    openid: pay.openid ?? null,
    billTimeoutSeconds: pay.billTimeoutSeconds ?? null,
    extras: { buyerId: pay.buyerId, couponId: pay.couponId, analysis: pay.analysis },
    payerIp,
  };
}

export function registerOfflineRoutes(server: FastifyInstance, rest: RestContext): void {
  const core = rest.gateway.core;

  server.post('/2/rest/offline/bill', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const pay = readOfflinePayRequest(fields);
    const payment = paymentRequestOf(app, pay, request.ip);
    if (pay.authCode !== undefined) {
      const { bill, paid } = await core.counterPayments.chargePaymentCode(payment, pay.authCode);
      return { ...okAnswer(), id: bill.id, pay_result: paid };
    }
    const { bill, start } = await core.payments.startPayment(payment);
    if (start.action !== 'qr') throw new Error(`${pay.channel} answered ${start.action}, not a QR code`);
    return { ...okAnswer(), id: bill.id, code_url: start.codeUrl };
  });

  server.post('/2/rest/offline/bill/status', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'payment');
    const { billNo, channel } = readOfflineStatusRequest(fields);
    const attempts = await core.counterPayments.refreshOrder(app, app.mode, billNo, channel);
    if (attempts.length === 0) throw new BeeCloudError('NO_SUCH_BILL', 'bill_no', `no bill ${billNo}`);
    const paid = attempts.find((bill) => bill.status === 'paid');
    return { ...okAnswer(), pay_result: paid !== undefined, id: (paid ?? attempts[0])?.id };
  });

  server.post<{ Params: { billNo: string } }>(
    '/2/rest/offline/bill/:billNo',
    restRouteOptions,
    async (request) => {
      const { app, fields } = await authenticated(rest, request, 'payment');
      const { billNo, channel } = readRevertRequest(fields, request.params.billNo);
      const outcome = await core.counterPayments.revertOrder(app, app.mode, billNo, channel);
      if (outcome.reverted) return { ...okAnswer(), revert_status: true };
      return { ...okAnswer(), revert_status: false, err_detail: outcome.reason };
    },
  );

  server.post('/2/rest/offline/refund', restRouteOptions, async (request) => {
    const { app, fields } = await authenticated(rest, request, 'master', { oneUse: true });
    const {
      reason: _reason,
      operatorId: _operator,
      storeId: _store,
      ...order
    } = readOfflineRefundRequest(fields);
    const refund = await core.refunds.createRefund(app, { ...order, needApproval: false });
    return { ...okAnswer(), id: refund.id, refund_result: refund.status === 'succeeded' };
  });
}
