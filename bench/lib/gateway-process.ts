/**
 * The gateway as a separate process, for the benchmarks and the reliability suite: the one helper in
 * `gateway/testing/gateway-process.ts` (also used by the gateway's crash tests), running the built gateway
 * (`dist/gateway/main.js`, bundled by `npm run build`, which `npm run bench` and `npm run test:reliability` run
 * first) with plain node and the gateway's node flags (`config.gatewayNodeFlags` in package.json), as `npm run gateway`
 * does, unless another `entry` is given.
 */
import {
  startGatewayProcess as startProcess,
  type GatewayProcess,
  type GatewayProcessOptions,
} from '../../gateway/testing/gateway-process.ts';

export type { GatewayProcess, GatewayProcessOptions };

/** The built gateway the bench and the reliability suite measure (what `npm run gateway` runs). */
export const builtGateway = 'dist/gateway/main.js';

export function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  return startProcess({ ...options, entry: options.entry ?? builtGateway });
}
