/**
 * BeeCloud's offline (线下) REST API, through the core's `CounterPayments` and `Payments`:
 *   POST /2/rest/offline/bill              WX_SCAN / ALI_SCAN (auth_code) → pay_result; WX_NATIVE / ALI_OFFLINE_QRCODE → code_url
 *   POST /2/rest/offline/bill/status       → pay_result (asks the channel about an open bill first)
 *   POST /2/rest/offline/bill/{bill_no}    method REVERT → revert_status
 *   POST /2/rest/offline/refund            (master secret) → id, refund_result
 * Bills are made in the app's mode (test: the sandbox), as `POST /2/rest/bill`.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { App } from '../apps/app.ts';
import type { PaymentRequest } from '../core/payments.ts';
import { BeeCloudError, okAnswer } from '../errors/result-codes.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import {
  offlinePayRequestFrom,
  offlineRefundFrom,
  offlineStatusFrom,
  revertFrom,
} from './offline-request.ts';
import {
  offlinePayAnswer,
  offlinePayRequest,
  offlineRefundAnswer,
  offlineRefundRequest,
  offlineStatusAnswer,
  offlineStatusRequest,
  offlineTags,
  revertAnswer,
  revertParams,
  revertRequest,
} from './offline-schemas.ts';
import type { PayRequest } from './pay-request.ts';
import { authenticated, restBodyLimit, type RestContext } from './rest-context.ts';

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

const appSigned = 'Signed with the app secret (a test-mode app: the test secret too).';

export function registerOfflineRoutes(fastify: FastifyInstance, rest: RestContext): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const core = rest.gateway.core;

  server.post(
    '/2/rest/offline/bill',
    schemaRoute({
      tags: offlineTags,
      summary: 'Offline: charge a payment code, or a QR code for the till',
      description: `${appSigned} WX_SCAN / ALI_SCAN charge the payer’s payment code (auth_code) at once → pay_result; WX_NATIVE / ALI_OFFLINE_QRCODE → code_url.`,
      body: offlinePayRequest,
      answer: offlinePayAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const pay = offlinePayRequestFrom(request.body);
      const payment = paymentRequestOf(app, pay, request.ip);
      if (pay.authCode !== undefined) {
        const { bill, paid } = await core.counterPayments.chargePaymentCode(payment, pay.authCode);
        return okAnswer({ id: bill.id, pay_result: paid });
      }
      const { bill, start } = await core.payments.startPayment(payment);
      if (start.action !== 'qr') throw new Error(`${pay.channel} answered ${start.action}, not a QR code`);
      return okAnswer({ id: bill.id, code_url: start.codeUrl });
    },
  );

  server.post(
    '/2/rest/offline/bill/status',
    schemaRoute({
      tags: offlineTags,
      summary: 'Offline: whether a bill is paid',
      description: `${appSigned} An open bill is asked about at its channel first.`,
      body: offlineStatusRequest,
      answer: offlineStatusAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const { billNo, channel } = offlineStatusFrom(request.body);
      const attempts = await core.counterPayments.refreshOrder(app, app.mode, billNo, channel);
      if (attempts.length === 0) throw new BeeCloudError('NO_SUCH_BILL', 'bill_no', `no bill ${billNo}`);
      const paid = attempts.find((bill) => bill.status === 'paid');
      return okAnswer({ pay_result: paid !== undefined, id: (paid ?? attempts[0])?.id });
    },
  );

  server.post(
    '/2/rest/offline/bill/:bill_no',
    schemaRoute({
      tags: offlineTags,
      summary: 'Offline: revert (cancel) a bill not paid',
      description: `${appSigned} method REVERT; a bill paid meanwhile answers revert_status false.`,
      params: revertParams,
      body: revertRequest,
      answer: revertAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const { billNo, channel } = revertFrom(request.params.bill_no, request.body);
      const outcome = await core.counterPayments.revertOrder(app, app.mode, billNo, channel);
      if (outcome.reverted) return okAnswer({ revert_status: true });
      return okAnswer({ revert_status: false, err_detail: outcome.reason });
    },
  );

  server.post(
    '/2/rest/offline/refund',
    schemaRoute({
      tags: offlineTags,
      summary: 'Offline: refund a paid bill',
      description:
        'Signed with the master secret; a legacy (timestamp, app_sign) is accepted once. No pre-refund approval.',
      body: offlineRefundRequest,
      answer: offlineRefundAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'master', { oneUse: true });
      const {
        reason: _reason,
        operatorId: _operator,
        storeId: _store,
        ...order
      } = offlineRefundFrom(request.body);
      const refund = await core.refunds.createRefund(app, { ...order, needApproval: false });
      return okAnswer({ id: refund.id, refund_result: refund.status === 'succeeded' });
    },
  );
}
