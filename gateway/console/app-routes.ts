/**
 * Session, apps, secrets, the 秒支付 button and channel credentials (docs/console-api.md). Translation only:
 * read the request (naming the field at fault), call the service, answer the views.
 */
import type { FastifyInstance } from 'fastify';
import { isCredentialFamily, type ChannelFamily } from '../channels/channels.ts';
import { ConsoleError, invalid } from './console-errors.ts';
import { bodyOf, oneOf, optionalText, requiredText, stringList, type Fields } from './console-input.ts';
import { consoleState, setSessionCookie, type ConsoleContext } from './console-module.ts';
import { MENU_CODES, SECRET_KINDS, type AppInput } from './console-service.ts';
import { consoleApp, credentialsOf } from './console-views.ts';

type AppParams = { Params: { appId: string } };

function appInput(fields: Fields): AppInput {
  const allowed = new Set(['name', 'mode', 'webhookUrl', 'liveWebhookUrl', 'allowedOrigins']);
  for (const key of Object.keys(fields))
    if (!allowed.has(key)) throw invalid(key, 'is not a field of an app');
  return {
    name: optionalText(fields, 'name', { min: 1, max: 64 }),
    mode: oneOf(fields, 'mode', ['test', 'live'] as const),
    webhookUrl: optionalText(fields, 'webhookUrl', { max: 1024 }),
    liveWebhookUrl: optionalText(fields, 'liveWebhookUrl', { max: 1024 }),
    allowedOrigins:
      fields.allowedOrigins === undefined
        ? undefined
        : stringList(fields, 'allowedOrigins', { max: 20, allowEmpty: true, itemMax: 256 }),
  };
}

function familyParam(value: string): ChannelFamily {
  if (!isCredentialFamily(value))
    throw new ConsoleError('not_found', 'family must be ALI, WX or UN', 'family');
  return value;
}

export function registerAppRoutes(scope: FastifyInstance, context: ConsoleContext): void {
  const { sessions, service, gateway } = context;

  const sessionAnswer = (token: string, session: Parameters<typeof sessions.ends>[0]) => ({
    operator: { name: session.operatorName },
    csrfToken: sessions.csrfToken(token),
    ...sessions.ends(session),
  });

  scope.post('/session', async (request, reply) => {
    const fields = bodyOf(request.body);
    const name = requiredText(fields, 'name', { min: 1, max: 64 });
    const password = requiredText(fields, 'password', { min: 1, max: 1024 });
    const { token, session } = await sessions.signIn(name, password, request.ip);
    setSessionCookie(request, reply, token, Math.floor(sessions.absoluteMs / 1000));
    return sessionAnswer(token, session);
  });

  scope.get('/session', async (request) => {
    const { session, token } = consoleState(request);
    return sessionAnswer(token, session);
  });

  scope.delete('/session', async (request, reply) => {
    const { session } = consoleState(request);
    await sessions.signOut(session);
    setSessionCookie(request, reply, '', 0);
    return reply.code(204).send();
  });

  scope.get('/apps', async () => {
    const now = service.now();
    return { apps: (await service.listApps()).map((app) => consoleApp(app, now)) };
  });

  scope.post('/apps', async (request, reply) => {
    const fields = bodyOf(request.body);
    const input = appInput(fields);
    const name = requiredText(fields, 'name', { min: 1, max: 64 });
    const { app, secrets } = await service.createApp(consoleState(request).session.operatorName, {
      ...input,
      name,
    });
    return reply.code(201).send({ app: consoleApp(app, service.now()), secrets });
  });

  scope.get<AppParams>('/apps/:appId', async (request) => {
    const app = await service.requireApp(request.params.appId);
    return { app: consoleApp(app, service.now()) };
  });

  scope.patch<AppParams>('/apps/:appId', async (request) => {
    const input = appInput(bodyOf(request.body));
    const app = await service.updateApp(
      consoleState(request).session.operatorName,
      request.params.appId,
      input,
    );
    return { app: consoleApp(app, service.now()) };
  });

  scope.post<{ Params: { appId: string; kind: string } }>(
    '/apps/:appId/secrets/:kind/rotate',
    async (request) => {
      const kind = SECRET_KINDS[request.params.kind];
      if (!kind) {
        throw new ConsoleError(
          'not_found',
          'kind must be app-secret, master-secret, test-secret or webhook-secret',
          'kind',
        );
      }
      const fields = bodyOf(request.body);
      const confirm = typeof fields.confirm === 'string' ? fields.confirm : undefined;
      const rotated = await service.rotateSecret(
        consoleState(request).session.operatorName,
        request.params.appId,
        kind,
        confirm,
      );
      return {
        app: consoleApp(rotated.app, service.now()),
        secret: rotated.secret,
        previousValidUntil: rotated.previousValidUntil,
      };
    },
  );

  const buttonAnswer = (app: { appId: string; channels: string[] }) => {
    const enabled = app.channels.filter((code) => MENU_CODES.some((entry) => entry.code === code));
    const others = MENU_CODES.filter((entry) => !enabled.includes(entry.code));
    const byCode = new Map(MENU_CODES.map((entry) => [entry.code as string, entry]));
    const scriptUrl = `${gateway.publicUrl()}/1/pay/jsbutton/returnscripts?appId=${encodeURIComponent(app.appId)}`;
    return {
      channels: [
        ...enabled.map((code) => ({ ...byCode.get(code)!, enabled: true })),
        ...others.map((entry) => ({ ...entry, enabled: false })),
      ],
      scriptUrl,
      scriptTag: `<script id='spay-script' src='${scriptUrl}'></script>`,
    };
  };

  scope.get<AppParams>('/apps/:appId/button', async (request) => {
    return buttonAnswer(await service.requireApp(request.params.appId));
  });

  scope.put<AppParams>('/apps/:appId/button', async (request) => {
    const channels = stringList(bodyOf(request.body), 'channels', {
      max: MENU_CODES.length,
      allowEmpty: true,
      itemMax: 16,
    });
    const app = await service.saveButton(
      consoleState(request).session.operatorName,
      request.params.appId,
      channels,
    );
    return buttonAnswer(app);
  });

  scope.get<AppParams>('/apps/:appId/credentials', async (request) => {
    const app = await service.requireApp(request.params.appId);
    return { credentials: credentialsOf(app) };
  });

  type FamilyParams = { Params: { appId: string; family: string } };

  scope.put<FamilyParams>('/apps/:appId/credentials/:family', async (request) => {
    const family = familyParam(request.params.family);
    const fields = bodyOf(request.body);
    if (fields.settings === undefined) throw invalid('settings', 'is required');
    const credential = await service.saveCredentials(
      consoleState(request).session.operatorName,
      request.params.appId,
      family,
      fields.settings,
    );
    return { credential };
  });

  scope.delete<FamilyParams>('/apps/:appId/credentials/:family', async (request, reply) => {
    const family = familyParam(request.params.family);
    await service.deleteCredentials(consoleState(request).session.operatorName, request.params.appId, family);
    return reply.code(204).send();
  });

  scope.post<FamilyParams>('/apps/:appId/credentials/:family/test', async (request) => {
    const family = familyParam(request.params.family);
    return service.testConnection(request.params.appId, family);
  });
}
