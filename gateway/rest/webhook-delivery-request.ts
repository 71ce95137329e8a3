/** The fields of `GET /2/rest/webhooks` and `POST /2/rest/webhook/resend` after their schemas, in the store's names. */
import type { Static } from 'typebox';
import type { DeliveryFilter } from '../webhooks/webhook-deliveries.ts';
import type { deliveryListQuery } from './webhook-delivery-schemas.ts';

/** The filter without the app, which the route takes from the signature. */
export type AppDeliveryFilter = Omit<DeliveryFilter, 'appId'>;

export function deliveryFilterFrom(
  fields: Omit<Static<typeof deliveryListQuery>, 'skip' | 'limit'>,
): AppDeliveryFilter {
  return {
    transactionType: fields.transaction_type,
    transactionId: fields.transaction_id,
    webhookId: fields.id,
    status: fields.status,
  };
}
