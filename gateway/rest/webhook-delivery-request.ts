/** The fields of `GET /2/rest/webhooks` and `POST /2/rest/webhook/resend`: which deliveries, and paging. */
import { BeeCloudError } from '../errors/result-codes.ts';
import {
  DELIVERY_STATUSES,
  type DeliveryFilter,
  type DeliveryStatus,
} from '../webhooks/webhook-deliveries.ts';
import { readPaging, type Paging } from './list-query.ts';
import type { RequestFields } from './request-fields.ts';

/** The filter without the app, which the route takes from the signature. */
export type AppDeliveryFilter = Omit<DeliveryFilter, 'appId'>;

export function readDeliveryFilter(fields: RequestFields): AppDeliveryFilter {
  const typeName = fields.optionalString('transaction_type', { maxLength: 8 });
  const transactionType = (['PAY', 'REFUND', 'TRANSFER', 'SUBSCRIPTION'] as const).find(
    (name) => name === typeName,
  );
  if (typeName !== undefined && transactionType === undefined) {
    throw new BeeCloudError(
      'PARAM_INVALID',
      'transaction_type',
      'must be PAY, REFUND, TRANSFER or SUBSCRIPTION',
    );
  }
  const status = fields.optionalString('status', { maxLength: 16 });
  if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status)) {
    throw new BeeCloudError('PARAM_INVALID', 'status', `must be one of ${DELIVERY_STATUSES.join(', ')}`);
  }
  return {
    transactionType,
    transactionId: fields.optionalString('transaction_id', { maxLength: 64 }),
    webhookId: fields.optionalString('id', { maxLength: 64 }),
    status: status as DeliveryStatus | undefined,
  };
}

export function readDeliveryListing(fields: RequestFields): AppDeliveryFilter & Paging {
  return { ...readDeliveryFilter(fields), ...readPaging(fields) };
}

/** The resend must say which deliveries: by transaction_id or by id. */
export function readResendFilter(fields: RequestFields): AppDeliveryFilter {
  const filter = readDeliveryFilter(fields);
  if (filter.webhookId === undefined && filter.transactionId === undefined) {
    throw new BeeCloudError('MISS_PARAM', 'transaction_id', 'transaction_id or id is required');
  }
  return filter;
}
