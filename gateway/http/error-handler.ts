/**
 * Turns every failure into a BeeCloud answer `{resultCode, result_code, result_msg, err_detail}`: BeeCloudErrors
 * as thrown, a route schema's refusal as the field's BeeCloud code (schema/request-validation.ts), bad JSON / oversized bodies / wrong content types / unknown paths as PARAM_INVALID with the HTTP
 * status of the problem. Client input never produces a 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../core/domain-error.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import { validationRefusal } from '../schema/request-validation.ts';
import { beeCloudErrorFor, type Edge } from './domain-errors.ts';

/** The edge a route belongs to (its `config.edge`, REST by default): how core refusals are worded. */
export function edgeOf(request: FastifyRequest): Edge {
  const config = request.routeOptions?.config as { edge?: Edge } | undefined;
  return config?.edge ?? 'rest';
}

export function toBeeCloudError(error: FastifyError | Error, edge: Edge = 'rest'): BeeCloudError | undefined {
  if (error instanceof BeeCloudError) return error;
  if (error instanceof DomainError) return beeCloudErrorFor(error, edge);
  const fastifyError = error as FastifyError;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new BeeCloudError('PARAM_INVALID', 'body', 'is too large', 413);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new BeeCloudError('PARAM_INVALID', 'body', 'is not valid JSON', 400);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new BeeCloudError('PARAM_INVALID', 'content-type', 'must be application/json', 415);
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new BeeCloudError('PARAM_INVALID', 'content-length', 'does not match the body', 400);
    case 'FST_ERR_VALIDATION':
      // A route's schema refused the request (schema/request-validation.ts): the field, BeeCloud's result code.
      return validationRefusal(fastifyError.validation, fastifyError.validationContext ?? 'body', edge);
  }
  if (error instanceof SyntaxError && fastifyError.statusCode === 400) {
    return new BeeCloudError('PARAM_INVALID', 'body', 'is not valid JSON', 400);
  }
  if (fastifyError.statusCode === 429) {
    return new BeeCloudError('NETWORK_ERROR', 'rate', 'too many requests, slow down', 429);
  }
  if (
    typeof fastifyError.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return new BeeCloudError('PARAM_INVALID', 'request', fastifyError.message, fastifyError.statusCode);
  }
  return undefined;
}

export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const known = toBeeCloudError(error, edgeOf(request));
    if (known) {
      request.log.info({ result_code: known.code, err_detail: known.detail }, 'request refused');
      return reply.code(known.httpStatus).send(known.toAnswer());
    }
    request.log.error({ err: error }, 'internal error');
    return reply
      .code(500)
      .send(new BeeCloudError('RUNTIME_ERROR', 'gateway', 'internal error, try again').toAnswer());
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    return reply
      .code(404)
      .send(
        new BeeCloudError('PARAM_INVALID', 'path', `no endpoint ${request.method} ${path}`, 404).toAnswer(),
      );
  });
}
