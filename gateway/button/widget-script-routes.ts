/**
 * GET /1/pay/jsbutton/returnscripts?appId=  — BCConfig prelude + widget (or the problem script).
 * GET /1/pay/jsbutton/assets/:file          — lazily loaded widget chunks from the build directory.
 */
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { publicAppConfig } from '../apps/app.ts';
import { BeeCloudError } from '../errors/result-codes.ts';
import type { GatewayContext } from '../gateway-context.ts';
import { sendVariant } from '../http/send-variant.ts';
import { schemaRoute } from '../schema/beecloud-schema.ts';
import { assetAnswer, assetParams, buttonTags, scriptAnswer, scriptQuery } from './button-schemas.ts';
import {
  configPrelude,
  problemScript,
  WidgetFiles,
  widgetFileName,
  WidgetScriptCache,
  type ScriptVariant,
} from './widget-script.ts';

const javascript = 'application/javascript; charset=utf-8';
const assetTypes: Record<string, string> = {
  '.js': javascript,
  '.mjs': javascript,
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
};
const safeAssetName = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export function registerWidgetScriptRoutes(
  fastify: FastifyInstance,
  ctx: GatewayContext,
  variants = new WidgetScriptCache(),
): void {
  const app = fastify.withTypeProvider<TypeBoxTypeProvider>();
  const files = new WidgetFiles(ctx.widgetDir);

  app.get(
    '/1/pay/jsbutton/returnscripts',
    schemaRoute({
      tags: buttonTags,
      summary: 'The button script for an app',
      description: 'The `<script src>` a merchant’s page includes: the app’s public config and the widget.',
      querystring: scriptQuery,
      answer: scriptAnswer,
      answerContentType: 'application/javascript',
    }),
    async (request, reply) => {
      const appId = request.query.appId;
      const options = { contentType: javascript, cacheControl: 'public, max-age=300' };
      // A problem naming the caller's appId is built per request: it never enters the cache (issue 21 item 10).
      const problem = (error: BeeCloudError, cacheable = true) => {
        const build = () => problemScript(error.code, error.toAnswer().result_msg, error.detail);
        const variant: ScriptVariant = cacheable
          ? variants.sharedScript(`problem:${error.detail}`, build)
          : variants.uncached(build);
        return sendVariant(request, reply, variant, { contentType: javascript, cacheControl: 'no-cache' });
      };
      if (appId === undefined) {
        return problem(new BeeCloudError('MISS_PARAM', 'appId', 'the script URL needs ?appId=YOUR_APP_ID'));
      }
      const found = appId.length <= 128 ? await ctx.store.apps.findApp(appId) : undefined;
      if (!found)
        return problem(
          new BeeCloudError('APP_INVALID', 'appId', `no app ${appId.slice(0, 64)} on this gateway`),
          false,
        );
      const widget = await files.read(widgetFileName);
      if (!widget) {
        request.log.error({ widgetDir: ctx.widgetDir }, 'widget build missing: run npm run build');
        return problem(
          new BeeCloudError('RUNTIME_ERROR', 'widget', 'the payment button is not built on this gateway'),
        );
      }
      const prelude = configPrelude(publicAppConfig(found), ctx.publicUrl());
      const variant = variants.appScript(
        found.appId,
        `${prelude}\u0000${widget.version}`,
        () => `${prelude}${widget.text}`,
      );
      return sendVariant(request, reply, variant, options);
    },
  );

  const assetRoute = schemaRoute({
    tags: buttonTags,
    summary: 'A widget chunk',
    params: assetParams,
    answer: assetAnswer,
    answerContentType: 'application/javascript',
  });
  app.get('/1/pay/jsbutton/assets/:file', assetRoute, async (request, reply) => {
    const name = request.params.file;
    const extension = name.includes('.') ? name.slice(name.lastIndexOf('.')) : '';
    const contentType = assetTypes[extension];
    if (!safeAssetName.test(name) || name.includes('..') || !contentType) {
      throw new BeeCloudError('PARAM_INVALID', 'file', 'no such widget asset', 404);
    }
    const asset = await files.read(name);
    if (!asset) throw new BeeCloudError('PARAM_INVALID', 'file', 'no such widget asset', 404);
    const cacheControl = 'public, max-age=3600';
    const variant = variants.sharedScript(`asset:${name}:${asset.version}`, () => asset.text);
    return sendVariant(request, reply, variant, { contentType, cacheControl });
  });
}
