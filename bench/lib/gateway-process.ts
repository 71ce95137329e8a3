/**
 * The gateway as a separate process, for the benchmarks and the reliability suite: the one helper in
 * `gateway/testing/gateway-process.ts` (also used by the gateway's crash tests).
 */
export {
  startGatewayProcess,
  type GatewayProcess,
  type GatewayProcessOptions,
} from '../../gateway/testing/gateway-process.ts';
