/**
 * The Alipay simulator: start it on a free port, register apps, point their Alipay settings' gateway_url at
 * `${url}/gateway.do`. See README.md.
 */
import { request } from 'node:http';
import {
  AlipaySimulator,
  type AlipaySimulatorOptions,
  type Faults,
  type Merchant,
  type MerchantInput,
  type NotifyAttempt,
  type RecordedRequest,
  type SimOrder,
} from './simulator.ts';

export type {
  AlipaySimulatorOptions,
  Faults,
  Merchant,
  MerchantInput,
  NotifyAttempt,
  RecordedRequest,
  SimOrder,
};
export { notifyRetryDelaysMs } from './simulator.ts';

export interface AlipaySimulatorHandle {
  /** Base URL, e.g. http://127.0.0.1:54321 (the gateway is `${url}/gateway.do`). */
  url: string;
  gatewayUrl: string;
  /** Alipay's public key (PEM), as public-key-mode apps enter it. */
  alipayPublicKey: string;
  close(): Promise<void>;
  registerMerchant(input: MerchantInput): Promise<Merchant>;
  orders(): Promise<SimOrder[]>;
  order(outTradeNo: string): Promise<SimOrder | null>;
  /** The payer pays; answers where the payer's browser would go (signed return_url) if anywhere. */
  pay(outTradeNo: string): Promise<{ order: SimOrder; return_url: string | null }>;
  setFaults(faults: Faults): Promise<void>;
  setOrderFaults(outTradeNo: string, faults: Faults): Promise<void>;
  notifies(): Promise<NotifyAttempt[]>;
  requests(): Promise<RecordedRequest[]>;
}

export async function startAlipaySimulator(
  options: AlipaySimulatorOptions = {},
): Promise<AlipaySimulatorHandle> {
  const simulator = new AlipaySimulator(options);
  await simulator.listen();
  // The helpers go through the control API, so what tests exercise is what an HTTP client gets.
  const control = async <T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> => {
    // node:http, not fetch: fetch refuses some ports a free-port server can land on.
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = request(
        `${simulator.url}${path}`,
        { method, headers: payload === undefined ? {} : { 'content-type': 'application/json' } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
    const json = JSON.parse(text) as T & { error?: string };
    if (status !== 200) throw new Error(`${method} ${path}: ${status} ${json.error ?? ''}`);
    return json;
  };
  return {
    url: simulator.url,
    gatewayUrl: `${simulator.url}/gateway.do`,
    alipayPublicKey: simulator.alipayKeys.publicKey,
    close: () => simulator.close(),
    registerMerchant: (input) => control('POST', '/_sim/merchants', input),
    orders: () => control('GET', '/_sim/orders'),
    order: async (outTradeNo) => {
      const found = simulator.findOrder(outTradeNo);
      return found ? control('GET', `/_sim/orders/${encodeURIComponent(outTradeNo)}`) : null;
    },
    pay: (outTradeNo) => control('POST', `/_sim/orders/${encodeURIComponent(outTradeNo)}/pay`),
    setFaults: async (faults) => {
      await control('POST', '/_sim/faults', faults);
    },
    setOrderFaults: async (outTradeNo, faults) => {
      await control('POST', `/_sim/orders/${encodeURIComponent(outTradeNo)}/faults`, faults);
    },
    notifies: () => control('GET', '/_sim/notifies'),
    requests: () => control('GET', '/_sim/requests'),
  };
}
