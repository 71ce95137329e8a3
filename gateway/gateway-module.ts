/**
 * A part of the gateway that plugs into the core (the REST API, refunds …): its own migrations and routes,
 * registered after the core's. Migration names must be unique across modules (prefix them, e.g. "100_refunds").
 */
import type { FastifyInstance } from 'fastify';
import type { Migration } from 'kysely';
import type { GatewayContext } from './gateway-context.ts';

export interface GatewayModule {
  name: string;
  migrations?: Record<string, Migration>;
  register(app: FastifyInstance, ctx: GatewayContext): void | Promise<void>;
  /** Called when the gateway stops, before the store closes. */
  close?(): void | Promise<void>;
}
