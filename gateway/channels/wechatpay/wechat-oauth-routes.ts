/**
 * The payer's openid for WX_JSAPI in live mode, for merchants who do not run WeChat OAuth themselves (as the seed
 * tutorial's `getopenid` helper did). Inside WeChat the merchant's page sends the payer to
 *   GET /wx/oauth/{appId}?redirect_uri=URL&state=S
 * which redirects to WeChat's authorize page (snsapi_base: silent) with the gateway's callback; WeChat comes back to
 *   GET /wx/oauth/{appId}/callback?code=…&state=…
 * where the gateway exchanges the code with the app's AppSecret and sends the payer to `redirect_uri` with `openid`
 * and the merchant's `state` — only to an origin the app registered (`allowedOrigins`). The gateway's domain must be
 * the official account's web authorization domain.
 * Pending authorizations live in memory for 10 minutes (a restart only makes the payer start again).
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { BeeCloudError } from '../../errors/result-codes.ts';
import type { GatewayContext } from '../../gateway-context.ts';
import type { GatewayModule } from '../../gateway-module.ts';
import { checkOAuthTarget, parseReturnUrlWithQuery } from '../../sandbox/oauth-redirect.ts';
import { ChannelCallError, ChannelSettingsError } from '../channel.ts';
import { WechatpayAdapter } from './wechatpay-adapter.ts';

const pendingTtlMs = 10 * 60_000;
const maxPending = 10_000;

interface PendingAuthorization {
  appId: string;
  redirectUri: string;
  state: string | null;
  expiresAt: number;
}

export class PendingOauth {
  private readonly pending = new Map<string, PendingAuthorization>();

  constructor(private readonly now: () => number = Date.now) {}

  add(entry: Omit<PendingAuthorization, 'expiresAt'>): string {
    this.sweep();
    while (this.pending.size >= maxPending) {
      const oldest = this.pending.keys().next().value;
      if (oldest === undefined) break;
      this.pending.delete(oldest);
    }
    const token = randomBytes(18).toString('base64url');
    this.pending.set(token, { ...entry, expiresAt: this.now() + pendingTtlMs });
    return token;
  }

  /** The pending authorization for a token, once. */
  take(token: string): PendingAuthorization | undefined {
    const entry = this.pending.get(token);
    this.pending.delete(token);
    return entry && entry.expiresAt >= this.now() ? entry : undefined;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, entry] of this.pending) if (entry.expiresAt < now) this.pending.delete(token);
  }
}

async function wechatpayAdapterOf(ctx: GatewayContext, appId: string): Promise<WechatpayAdapter> {
  const app = /^[0-9A-Za-z_-]{1,64}$/.test(appId) ? await ctx.store.apps.findApp(appId) : undefined;
  if (!app) throw new BeeCloudError('APP_INVALID', 'appId', 'no such app', 404);
  const adapter = ctx.core.registry.liveAdapter(app, 'WX');
  if (!(adapter instanceof WechatpayAdapter)) {
    throw new BeeCloudError('PAY_FACTOR_NOT_SET', 'appId', 'the app has no live WeChat Pay settings');
  }
  return adapter;
}

export function registerWechatOauthRoutes(
  app: FastifyInstance,
  ctx: GatewayContext,
  pending = new PendingOauth(),
) {
  app.get<{ Params: { appId: string }; Querystring: Record<string, unknown> }>(
    '/wx/oauth/:appId',
    async (request, reply) => {
      const target = parseReturnUrlWithQuery(request.query.redirect_uri, 'redirect_uri');
      const state = request.query.state;
      if (state !== undefined && (typeof state !== 'string' || state.length > 128)) {
        throw new BeeCloudError('PARAM_INVALID', 'state', 'must be a string of at most 128 characters');
      }
      // Only back to an origin the app registered (allowedOrigins): the gateway is no open redirect.
      await checkOAuthTarget(request.params.appId, target, (appId) => ctx.store.apps.findApp(appId));
      const adapter = await wechatpayAdapterOf(ctx, request.params.appId);
      const token = pending.add({
        appId: request.params.appId,
        redirectUri: target.toString(),
        state: typeof state === 'string' ? state : null,
      });
      const callback = `${ctx.publicUrl()}/wx/oauth/${encodeURIComponent(request.params.appId)}/callback`;
      return reply.redirect(adapter.oauthAuthorizeUrl(callback, token), 302);
    },
  );

  app.get<{ Params: { appId: string }; Querystring: Record<string, unknown> }>(
    '/wx/oauth/:appId/callback',
    async (request, reply) => {
      const token = typeof request.query.state === 'string' ? request.query.state : '';
      const entry = pending.take(token);
      if (!entry || entry.appId !== request.params.appId) {
        throw new BeeCloudError('PARAM_INVALID', 'state', 'unknown or expired authorization: start again');
      }
      const code = request.query.code;
      if (typeof code !== 'string' || code === '') {
        throw new BeeCloudError('MISS_PARAM', 'code', 'WeChat sent no code (authorization refused)');
      }
      const adapter = await wechatpayAdapterOf(ctx, entry.appId);
      let openid: string;
      try {
        openid = await adapter.oauthOpenid(code);
      } catch (error) {
        if (error instanceof ChannelSettingsError) {
          throw new BeeCloudError('PAY_FACTOR_NOT_SET', error.field, error.message.replace(/^[^:]*: /, ''));
        }
        if (error instanceof ChannelCallError) {
          ctx.log.warn({ appId: entry.appId, code: error.code }, 'WeChat OAuth code exchange failed');
          throw new BeeCloudError('CHANNEL_ERROR', 'code', error.message);
        }
        throw error;
      }
      const target = new URL(entry.redirectUri);
      target.searchParams.set('openid', openid);
      if (entry.state !== null) target.searchParams.set('state', entry.state);
      return reply.redirect(target.toString(), 302);
    },
  );
}

export const wechatOauthModule: GatewayModule = {
  name: 'wechat-oauth',
  register: (app, ctx) => registerWechatOauthRoutes(app, ctx),
};
