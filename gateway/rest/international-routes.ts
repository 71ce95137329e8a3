/**
 * POST /2/rest/international/bill — BeeCloud's international payments (PayPal): PAYPAL_PAYPAL answers the `url` of
 * PayPal's approval page (in test mode the sandbox's, `/sandbox/paypal/approve/{id}`), PAYPAL_CREDITCARD charges
 * the card and answers the `credit_card_id` it was saved under, PAYPAL_SAVED_CREDITCARD charges a saved card.
 * Bills are made in the app's mode; spay has no live PayPal adapter, so a live app is answered PAY_FACTOR_NOT_SET.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { okAnswer } from '../errors/result-codes.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { internationalPayRequestFrom } from './international-request.ts';
import {
  internationalPayAnswer,
  internationalPayRequest,
  internationalTags,
} from './international-schemas.ts';
import { paymentRequestOf } from './offline-routes.ts';
import { authenticated, restBodyLimit, type RestContext } from './rest-context.ts';

export function registerInternationalRoutes(fastify: FastifyInstance, rest: RestContext): void {
  const server = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const core = rest.gateway.core;

  server.post(
    '/2/rest/international/bill',
    schemaRoute({
      tags: internationalTags,
      summary: 'International: pay with PayPal (approval page, card, saved card)',
      description:
        'Signed with the app secret (a test-mode app: the test secret too). PAYPAL_PAYPAL → url of the approval page; PAYPAL_CREDITCARD charges the card → credit_card_id; PAYPAL_SAVED_CREDITCARD charges a saved card. A live app answers PAY_FACTOR_NOT_SET (no live PayPal adapter).',
      body: internationalPayRequest,
      answer: internationalPayAnswer,
      bodyLimit: restBodyLimit,
    }),
    async (request) => {
      const { app } = await authenticated(rest, request, 'payment');
      const pay = internationalPayRequestFrom(request.body);
      const payment = { ...paymentRequestOf(app, pay, request.ip), currency: pay.currency };
      if (pay.card !== undefined) {
        const { bill, cardId } = await core.counterPayments.chargeCard(payment, {
          kind: 'card',
          card: pay.card,
        });
        return okAnswer({ id: bill.id, credit_card_id: cardId });
      }
      if (pay.cardId !== undefined) {
        const { bill } = await core.counterPayments.chargeCard(payment, {
          kind: 'saved',
          cardId: pay.cardId,
        });
        return okAnswer({ id: bill.id });
      }
      const { bill, start } = await core.payments.startPayment(payment);
      if (start.action !== 'redirect')
        throw new Error(`${pay.channel} answered ${start.action}, not a redirect`);
      return okAnswer({ id: bill.id, url: start.url });
    },
  );
}
