/** A local UnionPay online gateway (ACP 5.1.0) for tests and demos. See README.md. */
import {
  UnionpaySimulator,
  type SimNotifyAttempt,
  type SimOrder,
  type SimRequest,
  type UnionpayFaults,
  type UnionpaySimulatorOptions,
} from './simulator.ts';

export { createMerchantCertificate, createUnionpayHierarchy, simulatorSignerCn } from './certificates.ts';
export type { MerchantCertificate, UnionpayHierarchy } from './certificates.ts';
export { notifyRetryDelaysMs } from './simulator.ts';
export type { SimNotifyAttempt, SimOrder, SimRefund, SimRequest, UnionpayFaults } from './simulator.ts';

export interface UnionpayMerchantRegistration {
  mer_id: string;
  cert_id: string;
  root_certificate: string;
  middle_certificate: string;
  signer_certificate: string;
  /** The third `@` part of the simulator's signing certificate CN, for the gateway's `expected_signer_cn`. */
  expected_signer_cn: string;
  front_url: string;
  back_url: string;
}

export interface RunningUnionpaySimulator {
  url: string;
  close(): Promise<void>;
  /** POST /_sim/merchants */
  registerMerchant(merId: string, certificatePem: string): UnionpayMerchantRegistration;
  /** GET /_sim/orders */
  orders(): SimOrder[];
  /** GET /_sim/orders/:orderId */
  order(orderId: string): SimOrder | undefined;
  /** POST /_sim/orders/:orderId/pay */
  pay(orderId: string): SimOrder;
  /** POST /_sim/faults */
  setFaults(faults: UnionpayFaults): void;
  /** POST /_sim/orders/:orderId/faults */
  setOrderFaults(orderId: string, faults: UnionpayFaults): void;
  /** GET /_sim/notifies */
  notifies(): SimNotifyAttempt[];
  /** GET /_sim/requests */
  requests(): SimRequest[];
  /** The simulator's certificates and keys (root, middle, signer and the two bad signers). */
  simulator: UnionpaySimulator;
}

export async function startUnionpaySimulator(
  options: UnionpaySimulatorOptions = {},
): Promise<RunningUnionpaySimulator> {
  const simulator = new UnionpaySimulator(options);
  await simulator.listen();
  const found = (orderId: string) => {
    const order = simulator.findOrder(orderId);
    if (!order) throw new Error(`the UnionPay simulator has no order ${orderId}`);
    return order;
  };
  return {
    url: simulator.url,
    close: () => simulator.close(),
    registerMerchant: (merId, certificatePem) => simulator.registerMerchant(merId, certificatePem),
    orders: () => [...simulator.orders.values()],
    order: (orderId) => simulator.findOrder(orderId),
    pay: (orderId) => simulator.pay(found(orderId)),
    setFaults: (faults) => {
      simulator.runFaults = { ...faults };
    },
    setOrderFaults: (orderId, faults) => {
      found(orderId).faults = { ...faults };
    },
    notifies: () => [...simulator.notifies],
    requests: () => [...simulator.requests],
    simulator,
  };
}
