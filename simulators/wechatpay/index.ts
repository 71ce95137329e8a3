/**
 * The WeChat Pay API v3 simulator: start it on a free port, register merchants, point an app's `api_base_url`
 * at `url`. See README.md for the control API.
 */
import { bridgeScript } from './pages.ts';
import { certifiedKey } from './sim-keys.ts';
import {
  WechatpaySimulatorServer,
  type MerchantCredentials,
  type MerchantRegistration,
  type SimFaults,
  type SimNotifyAttempt,
  type SimOrder,
  type SimRefund,
  type SimRequest,
  type WechatpaySimulatorOptions,
} from './server.ts';

export type {
  KeyMode,
  MerchantCredentials,
  MerchantRegistration,
  SimFaults,
  SimNotifyAttempt,
  SimOrder,
  SimRefund,
  SimRequest,
  WechatpaySimulatorOptions,
} from './server.ts';
export { notifyRetryScheduleSeconds } from './server.ts';

export interface WechatpaySimulator {
  url: string;
  close(): Promise<void>;
  /** POST /_sim/merchants */
  registerMerchant(registration: MerchantRegistration): MerchantCredentials;
  /** GET /_sim/orders, GET /_sim/orders/:outTradeNo */
  orders(): SimOrder[];
  order(outTradeNo: string): SimOrder | null;
  /** GET /_sim/refunds */
  refunds(): SimRefund[];
  /** POST /_sim/orders/:outTradeNo/pay */
  pay(outTradeNo: string, openid?: string): SimOrder;
  /** POST /_sim/faults, POST /_sim/orders/:outTradeNo/faults */
  setFaults(faults: SimFaults): void;
  setOrderFaults(outTradeNo: string, faults: SimFaults): void;
  /** GET /_sim/notifies, GET /_sim/requests */
  notifies(): SimNotifyAttempt[];
  requests(): SimRequest[];
  /** GET /_sim/scan-url?code_url=… : the scan page a weixin://wxpay/bizpayurl?pr=… code_url stands for. */
  scanUrl(codeUrl: string): string;
  /** The WeixinJSBridge stand-in script for pages inside a WeChat user agent (GET /bridge.js), and its text. */
  bridgeScriptUrl: string;
  bridgeScript: string;
}

export async function startWechatpaySimulator(
  options: WechatpaySimulatorOptions = {},
): Promise<WechatpaySimulator> {
  const server = new WechatpaySimulatorServer(options);
  const url = await server.listen();
  return {
    url,
    close: () => server.close(),
    registerMerchant: (registration) => server.registerMerchant(registration),
    orders: () => server.listOrders(),
    order: (outTradeNo) => server.getOrder(outTradeNo),
    refunds: () => server.listRefunds(),
    pay: (outTradeNo, openid) => server.pay(outTradeNo, openid),
    setFaults: (faults) => server.setFaults(faults),
    setOrderFaults: (outTradeNo, faults) => server.setOrderFaults(outTradeNo, faults),
    notifies: () => server.listNotifies(),
    requests: () => server.listRequests(),
    scanUrl: (codeUrl) => server.scanUrl(codeUrl),
    bridgeScriptUrl: `${url}/bridge.js`,
    bridgeScript: bridgeScript(url),
  };
}

/**
 * A merchant API key and certificate for tests and local trials (what apiclient_key.pem / apiclient_cert.pem are
 * in the merchant platform): register `certificatePem` with the simulator, give the gateway `privateKeyPem` and
 * `serialNo`.
 */
export function generateMerchantCredentials(mchid: string): {
  privateKeyPem: string;
  certificatePem: string;
  serialNo: string;
} {
  const key = certifiedKey(mchid, 'spay test merchant');
  return { privateKeyPem: key.privateKeyPem, certificatePem: key.certificatePem, serialNo: key.serialNo };
}
