/** The channel simulators `npm run simulators` starts, with their default ports. */
import { startAlipaySimulator } from './alipay/index.ts';
import { startUnionpaySimulator } from './unionpay/index.ts';
import { startWechatpaySimulator } from './wechatpay/index.ts';

export interface SimulatorStartOptions {
  host: string;
  port: number;
  notifyRetryScale: number;
}

export interface SimulatorStarter {
  name: string;
  portVariable: string;
  defaultPort: number;
  start(options: SimulatorStartOptions): Promise<{ url: string; close(): Promise<void> }>;
}

export const simulatorStarters: readonly SimulatorStarter[] = [
  { name: 'Alipay', portVariable: 'SPAY_SIM_ALIPAY_PORT', defaultPort: 9001, start: startAlipaySimulator },
  {
    name: 'UnionPay',
    portVariable: 'SPAY_SIM_UNIONPAY_PORT',
    defaultPort: 9003,
    start: startUnionpaySimulator,
  },
];
