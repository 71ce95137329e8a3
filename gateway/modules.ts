/** The modules every gateway runs besides the core (see gateway-module.ts). Add a module here to ship it. */
import { consoleApiModule } from './console/console-module.ts';
import { consolePagesModule } from './console/console-pages.ts';
import { wechatOauthModule } from './channels/wechatpay/wechat-oauth-routes.ts';
import type { GatewayModule } from './gateway-module.ts';
import { restApiModule } from './rest/rest-module.ts';

export const installedModules: GatewayModule[] = [
  restApiModule,
  wechatOauthModule,
  consoleApiModule,
  consolePagesModule,
];
