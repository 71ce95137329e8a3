/**
 * The merchant console's JSON API under /console/api (docs/console-api.md) as a gateway module: one encapsulated
 * scope with the console's error shape, `cache-control: no-store`, and a gate in front of every route but sign-in —
 * a live session (cookie `spay_console`, else 401) and, on every change, the session's CSRF token in
 * `x-csrf-token` (else 403) and a JSON body (else 415). The static UI at /console/ is another module's.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayContext } from '../gateway-context.ts';
import type { GatewayModule } from '../gateway-module.ts';
import type { OperatorSession } from '../storage/console-store.ts';
import { ConsoleSessions, SESSION_COOKIE, type ConsoleSecurityOptions } from './console-auth.ts';
import { ConsoleError, installConsoleErrorHandlers } from './console-errors.ts';
import { registerAppRoutes } from './app-routes.ts';
import { registerRecordRoutes } from './record-routes.ts';
import { ConsoleService } from './console-service.ts';

export const CONSOLE_API = '/console/api';
/** Bodies up to 256 KiB (PEM keys and certificate chains fit easily). */
export const CONSOLE_BODY_LIMIT = 256 * 1024;

export interface ConsoleRequestState {
  session: OperatorSession;
  token: string;
}

const states = new WeakMap<FastifyRequest, ConsoleRequestState>();

/** The signed-in operator of a request that passed the gate. */
export function consoleState(request: FastifyRequest): ConsoleRequestState {
  const state = states.get(request);
  if (!state) throw new ConsoleError('unauthenticated', 'sign in first');
  return state;
}

export function cookieValue(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The session cookie: HttpOnly, SameSite=Strict, Path=/console, Secure over https (trust-proxy aware). */
export function setSessionCookie(
  request: FastifyRequest,
  reply: FastifyReply,
  value: string,
  maxAgeSeconds: number,
): void {
  const secure = request.protocol === 'https' ? '; Secure' : '';
  reply.header(
    'set-cookie',
    `${SESSION_COOKIE}=${value}; Path=/console; HttpOnly; SameSite=Strict; Max-Age=${maxAgeSeconds}${secure}`,
  );
}

export interface ConsoleContext {
  gateway: GatewayContext;
  sessions: ConsoleSessions;
  service: ConsoleService;
}

const changeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function registerConsoleApi(
  app: FastifyInstance,
  gateway: GatewayContext,
  options: ConsoleSecurityOptions = {},
): ConsoleContext {
  const sessions = new ConsoleSessions(gateway.store, options);
  const consoleCtx: ConsoleContext = {
    gateway,
    sessions,
    service: new ConsoleService(gateway, sessions.now),
  };
  void app.register(
    async (scope) => {
      installConsoleErrorHandlers(scope);
      scope.addHook('onRoute', (route) => {
        route.bodyLimit ??= CONSOLE_BODY_LIMIT;
      });
      scope.addHook('onRequest', async (request, reply) => {
        reply.header('cache-control', 'no-store');
        const path = request.url.split('?')[0];
        const jsonOnly = () => {
          const type = request.headers['content-type'];
          if (type !== undefined && !/^application\/json\b/i.test(type)) {
            throw new ConsoleError(
              'unsupported_media_type',
              'the body must be application/json',
              'content-type',
            );
          }
        };
        if (request.method === 'POST' && path === `${CONSOLE_API}/session`) return jsonOnly();
        const token = cookieValue(request, SESSION_COOKIE);
        const session = await sessions.resolve(token);
        if (!session || !token) throw new ConsoleError('unauthenticated', 'sign in first (no live session)');
        if (changeMethods.has(request.method)) {
          const sent = request.headers['x-csrf-token'];
          if (!sessions.csrfMatches(token, typeof sent === 'string' ? sent : undefined)) {
            throw new ConsoleError(
              'csrf',
              'the x-csrf-token header is missing or wrong for this session',
              'x-csrf-token',
            );
          }
          jsonOnly();
        }
        states.set(request, { session, token });
      });
      registerAppRoutes(scope, consoleCtx);
      registerRecordRoutes(scope, consoleCtx);
    },
    { prefix: CONSOLE_API },
  );
  return consoleCtx;
}

/** The console API module; `consoleModule({ now })` for tests that move the clock. */
export function consoleModule(options: ConsoleSecurityOptions = {}): GatewayModule {
  let sweep: NodeJS.Timeout | undefined;
  return {
    name: 'console-api',
    register(app, gateway) {
      const { sessions } = registerConsoleApi(app, gateway, options);
      sweep = setInterval(() => {
        sessions
          .sweep()
          .catch((error: unknown) =>
            gateway.log.warn({ err: String(error) }, 'console session sweep failed'),
          );
      }, 10 * 60_000);
      sweep.unref();
    },
    close() {
      if (sweep) clearInterval(sweep);
    },
  };
}

export const consoleApiModule: GatewayModule = consoleModule();
