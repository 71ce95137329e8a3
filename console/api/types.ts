/** The shapes of the console API (docs/console-api.md). Times are ms since the epoch; money is integer fen. */
export type Mode = 'test' | 'live';
export type Family = 'ALI' | 'WX' | 'UN';
export type SecretKind = 'app-secret' | 'master-secret' | 'test-secret' | 'webhook-secret';

export interface Session {
  operator: { name: string };
  csrfToken: string;
  idleExpiresAt: number;
  expiresAt: number;
}

export interface MaskedSecret {
  masked: string;
  rotatedAt: number | null;
  previousValidUntil: number | null;
}

export interface Credential {
  configured: boolean;
  fieldsSet: string[];
  updatedAt?: number;
}

export interface ConsoleApp {
  appId: string;
  name: string;
  mode: Mode;
  webhookUrl: string;
  liveWebhookUrl: string;
  allowedOrigins: string[];
  channels: string[];
  secrets: Record<'appSecret' | 'masterSecret' | 'testSecret' | 'webhookSecret', MaskedSecret>;
  credentials: Record<Family, Credential>;
  createdAt: number;
  updatedAt: number;
}

export type AppSecrets = Record<'appSecret' | 'masterSecret' | 'testSecret' | 'webhookSecret', string>;

export interface ButtonChannel {
  code: string;
  label: string;
  family: Family;
  enabled: boolean;
}

export interface ButtonSettings {
  channels: ButtonChannel[];
  scriptUrl: string;
  scriptTag: string;
}

export type BillStatus = 'open' | 'paid' | 'closed' | 'expired';

export interface ConsoleBill {
  id: string;
  billNo: string;
  mode: Mode;
  channel: string;
  subChannel: string;
  title: string;
  totalFee: number;
  status: BillStatus;
  tradeNo: string | null;
  createTime: number;
  paidTime: number | null;
  closedTime: number | null;
  refundRequired?: boolean;
  refundedFee: number;
}

export type RefundStatus = 'pending_approval' | 'processing' | 'succeeded' | 'failed' | 'denied';

export interface ConsoleRefund {
  id: string;
  refundNo: string;
  billId: string;
  billNo: string;
  mode: Mode;
  channel: string;
  subChannel: string;
  totalFee: number;
  refundFee: number;
  status: RefundStatus;
  needApproval: boolean;
  denyReason: string | null;
  latePayment?: boolean;
  channelRefundNo: string | null;
  createTime: number;
  updateTime: number;
  finishTime: number | null;
}

export interface DeliveryAttempt {
  at: number;
  httpStatus: number | null;
  latencyMs: number | null;
  excerpt: string | null;
  error: string | null;
}

export interface ConsoleDelivery {
  id: string;
  type: 'PAY' | 'REFUND';
  billId: string | null;
  refundId: string | null;
  transactionId: string;
  targetUrl: string;
  status: 'pending' | 'delivered' | 'failed' | 'no_endpoint';
  attemptCount: number;
  nextAttemptAt: number | null;
  createdAt: number;
  deliveredAt: number | null;
  attempts: DeliveryAttempt[];
}

export interface ReceiverHealth {
  url: string;
  pending: number;
  failing: number;
  delivered24h: number;
  failed24h: number;
  lastDeliveredAt: number | null;
  lastFailedAt: number | null;
  medianLatencyMs: number | null;
}

export interface DayFigures {
  date: string;
  channels: Record<string, { count: number; fee: number }>;
  paidCount: number;
  paidFee: number;
  billCount: number;
  /** Paid orders / orders created that day; null without orders. */
  successRate: number | null;
  refundCount: number;
  refundFee: number;
}

export interface PeriodFigures {
  paidCount: number;
  paidFee: number;
  billCount: number;
  successRate: number | null;
  refundCount: number;
  refundFee: number;
}

export interface Dashboard {
  mode: Mode;
  /** The last of `days`, with its success rate. */
  last30Days: PeriodFigures;
  today: {
    date: string;
    channels: Record<string, { count: number; fee: number }>;
    paidCount: number;
    paidFee: number;
    billCount: number;
    successRate: number | null;
    refundCount: number;
    refundFee: number;
  };
  days: DayFigures[];
  webhooks: { pending: number; failing: number };
}

export interface AuditEntry {
  id: string;
  at: number;
  operator: string;
  appId: string | null;
  action: string;
  detail: unknown;
}

export type BulkResults = Record<string, { ok: true } | { ok: false; code: string; message: string }>;

export interface Page<Key extends string, Row> {
  rows: Row[];
  nextCursor: string | null;
  key: Key;
}
