/**
 * The console API's error answer `{ error: { code, message, field? } }` (docs/console-api.md § Conventions): a
 * ConsoleError as thrown, the core's DomainErrors in console words, Fastify's body / content-type / size refusals,
 * and 404s under /console/api. Client input never produces a 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, type DomainSubject } from '../core/domain-error.ts';

export type ConsoleErrorCode =
  | 'invalid'
  | 'confirmation_required'
  | 'unauthenticated'
  | 'csrf'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'throttled'
  | 'channel_error'
  | 'internal';

const statusOf: Record<ConsoleErrorCode, number> = {
  invalid: 400,
  confirmation_required: 400,
  unauthenticated: 401,
  csrf: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  throttled: 429,
  channel_error: 502,
  internal: 500,
};

export class ConsoleError extends Error {
  constructor(
    readonly code: ConsoleErrorCode,
    message: string,
    readonly field?: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ConsoleError';
  }

  get status(): number {
    return statusOf[this.code];
  }

  toAnswer(): { error: Record<string, unknown> } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.field === undefined ? {} : { field: this.field }),
        ...this.extra,
      },
    };
  }
}

export function invalid(field: string, message: string): ConsoleError {
  return new ConsoleError('invalid', message, field);
}

/** The console's field for a core subject. */
const subjectFields: Record<DomainSubject, string> = {
  app: 'appId',
  channel: 'channel',
  amount: 'refundFee',
  title: 'title',
  bill_no: 'billId',
  bill_id: 'billId',
  refund_no: 'refundNo',
  refund_fee: 'refundFee',
  refund_ids: 'ids',
  notify_url: 'webhookUrl',
  transfer_no: 'transferNo',
  batch_no: 'batchNo',
  auth_code: 'authCode',
  credit_card_info: 'creditCardInfo',
  credit_card_id: 'creditCardId',
  buyer_id: 'buyerId',
  user_id: 'userId',
  template_id: 'templateId',
  coupon_id: 'couponId',
  status: 'status',
  name: 'name',
  id_no: 'idNo',
  card_no: 'cardNo',
  mobile: 'mobile',
  card_id: 'cardId',
  plan_id: 'planId',
  subscription_id: 'subscriptionId',
  sms_id: 'smsId',
  sms_code: 'smsCode',
  trial_end: 'trialEnd',
};

/** A core refusal in the console's words. */
export function consoleErrorFor(error: DomainError): ConsoleError {
  const field = subjectFields[error.subject];
  switch (error.reason) {
    case 'app_unknown':
    case 'bill_unknown':
    case 'refund_unknown':
      return new ConsoleError('not_found', error.message, field);
    case 'refund_too_large':
    case 'channel_unknown':
    case 'target_refused':
      return new ConsoleError('invalid', error.message, field);
    case 'channel_refused':
    case 'channel_unavailable':
    case 'refund_refused':
      return new ConsoleError('channel_error', error.message, field);
    default:
      return new ConsoleError('conflict', error.message, field);
  }
}

export function toConsoleError(error: FastifyError | Error): ConsoleError | undefined {
  if (error instanceof ConsoleError) return error;
  if (error instanceof DomainError) return consoleErrorFor(error);
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ConsoleError('too_large', 'the body is too large', 'body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new ConsoleError('invalid', 'the body is not valid JSON', 'body');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ConsoleError('unsupported_media_type', 'the body must be application/json', 'content-type');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ConsoleError('invalid', 'content-length does not match the body', 'body');
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new ConsoleError('invalid', 'the body is not valid JSON', 'body');
  }
  if (fastifyError.statusCode === 429) return new ConsoleError('throttled', 'too many requests, slow down');
  if (
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return new ConsoleError('invalid', fastifyError.message);
  }
  return undefined;
}

/** Installs the console's error and not-found answers on its (encapsulated) scope. */
export function installConsoleErrorHandlers(scope: FastifyInstance): void {
  scope.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = toConsoleError(error);
    if (known) {
      request.log.info({ console_error: known.code, field: known.field }, 'console request refused');
      if (known.code === 'throttled' && typeof known.extra.retryAfterMs === 'number') {
        reply.header('retry-after', String(Math.ceil(known.extra.retryAfterMs / 1000)));
      }
      return reply.code(known.status).header('cache-control', 'no-store').send(known.toAnswer());
    }
    request.log.error({ err: error }, 'console internal error');
    return reply
      .code(500)
      .header('cache-control', 'no-store')
      .send(new ConsoleError('internal', 'internal error, try again').toAnswer());
  });
  scope.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    return reply
      .code(404)
      .header('cache-control', 'no-store')
      .send(new ConsoleError('not_found', `no endpoint ${request.method} ${path}`, 'path').toAnswer());
  });
}
