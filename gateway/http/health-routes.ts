/**
 * Health for load balancers and orchestrators:
 * - `GET /healthz` — liveness: the process answers (it reads nothing, so a database outage does not get the
 *   process restarted);
 * - `GET /readyz` — readiness: the store answers, every migration this gateway knows is applied, the webhook
 *   dispatcher runs. 200 `{status: "ready", …}` or 503 `{status: "not_ready", …}` naming the failing check, plus
 *   the outbox backlog (`pending_webhooks`).
 */
import type { FastifyInstance } from 'fastify';
import type { GatewayContext } from '../gateway-context.ts';

/** How long /readyz waits for the database before calling it unreachable. */
export const storeCheckTimeoutMs = 2000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  store: 'ok' | 'unreachable';
  migrations: 'current' | 'pending' | 'unknown';
  pending_migrations?: string[];
  dispatcher: 'running' | 'stopped';
  pending_webhooks?: number;
}

export async function readiness(ctx: GatewayContext): Promise<Readiness> {
  const dispatcher = ctx.webhooks.isRunning() ? 'running' : 'stopped';
  try {
    const [pendingMigrations, pendingWebhooks] = await withTimeout(
      Promise.all([ctx.store.pendingMigrations(), ctx.store.outbox.pendingCount()]),
      storeCheckTimeoutMs,
    );
    const current = pendingMigrations.length === 0;
    return {
      status: current && dispatcher === 'running' ? 'ready' : 'not_ready',
      store: 'ok',
      migrations: current ? 'current' : 'pending',
      ...(current ? {} : { pending_migrations: pendingMigrations }),
      dispatcher,
      pending_webhooks: pendingWebhooks,
    };
  } catch (error) {
    ctx.log.warn({ err: String(error) }, 'readiness: the store did not answer');
    return { status: 'not_ready', store: 'unreachable', migrations: 'unknown', dispatcher };
  }
}

export function registerHealthRoutes(app: FastifyInstance, ctx: GatewayContext): void {
  const startedAt = Date.now();
  app.get('/healthz', async () => ({ status: 'ok', uptime_s: Math.floor((Date.now() - startedAt) / 1000) }));
  app.get('/readyz', async (_request, reply) => {
    const answer = await readiness(ctx);
    return reply
      .code(answer.status === 'ready' ? 200 : 503)
      .header('cache-control', 'no-store')
      .send(answer);
  });
}
