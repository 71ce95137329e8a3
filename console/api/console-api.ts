/** The console API's routes as functions (docs/console-api.md), over one ApiClient. */
import type { ApiClient } from './client.ts';
import type {
  AppSecrets,
  AuditEntry,
  BulkResults,
  ButtonSettings,
  ConsoleApp,
  ConsoleBill,
  ConsoleDelivery,
  ConsoleRefund,
  Credential,
  Dashboard,
  Family,
  Mode,
  ReceiverHealth,
  SecretKind,
  Session,
} from './types.ts';

export type Query = Record<string, string | number | boolean | undefined>;

export interface BillFilters {
  mode?: Mode;
  channel?: string;
  status?: string;
  from?: number;
  to?: number;
  billNo?: string;
}

const app = (appId: string) => `/apps/${encodeURIComponent(appId)}`;

export function consoleApi(client: ApiClient) {
  return {
    client,
    session: () => client.get<Session>('/session'),
    signIn: (name: string, password: string) => client.post<Session>('/session', { name, password }),
    signOut: () => client.delete<void>('/session'),

    apps: () => client.get<{ apps: ConsoleApp[] }>('/apps'),
    app: (appId: string) => client.get<{ app: ConsoleApp }>(app(appId)),
    createApp: (fields: {
      name: string;
      mode?: Mode;
      webhookUrl?: string;
      liveWebhookUrl?: string;
      allowedOrigins?: string[];
    }) => client.post<{ app: ConsoleApp; secrets: AppSecrets }>('/apps', fields),
    updateApp: (
      appId: string,
      fields: Partial<Pick<ConsoleApp, 'name' | 'mode' | 'webhookUrl' | 'liveWebhookUrl' | 'allowedOrigins'>>,
    ) => client.patch<{ app: ConsoleApp }>(app(appId), fields),
    rotateSecret: (appId: string, kind: SecretKind) =>
      client.post<{ app: ConsoleApp; secret: string; previousValidUntil: number | null }>(
        `${app(appId)}/secrets/${kind}/rotate`,
        { confirm: appId },
      ),

    button: (appId: string) => client.get<ButtonSettings>(`${app(appId)}/button`),
    saveButton: (appId: string, channels: string[]) =>
      client.put<ButtonSettings>(`${app(appId)}/button`, { channels }),

    credentials: (appId: string) =>
      client.get<{ credentials: Record<Family, Credential> }>(`${app(appId)}/credentials`),
    saveCredential: (appId: string, family: Family, settings: Record<string, string | string[] | null>) =>
      client.put<{ credential: Credential }>(`${app(appId)}/credentials/${family}`, { settings }),
    deleteCredential: (appId: string, family: Family) =>
      client.delete<void>(`${app(appId)}/credentials/${family}`),
    testCredential: (appId: string, family: Family) =>
      client.post<{ reachable: boolean; authOk: boolean; message: string }>(
        `${app(appId)}/credentials/${family}/test`,
        {},
      ),

    bills: (appId: string, filters: BillFilters & { limit?: number; cursor?: string }) =>
      client.get<{ bills: ConsoleBill[]; nextCursor: string | null }>(`${app(appId)}/bills`, { ...filters }),
    billsCsvUrl: (appId: string, filters: BillFilters) =>
      client.url(`${app(appId)}/bills.csv`, { ...filters }),
    bill: (appId: string, billId: string) =>
      client.get<{
        bill: ConsoleBill;
        attempts: ConsoleBill[];
        refunds: ConsoleRefund[];
        webhooks: ConsoleDelivery[];
      }>(`${app(appId)}/bills/${encodeURIComponent(billId)}`),
    refund: (
      appId: string,
      billId: string,
      fields: { refundFee: number; reason?: string; needApproval?: boolean; refundNo?: string },
    ) =>
      client.post<{ refund: ConsoleRefund }>(
        `${app(appId)}/bills/${encodeURIComponent(billId)}/refunds`,
        fields,
      ),

    refunds: (appId: string, filters: Query) =>
      client.get<{ refunds: ConsoleRefund[]; nextCursor: string | null }>(`${app(appId)}/refunds`, filters),
    decideRefunds: (appId: string, ids: string[], agree: boolean, denyReason?: string) =>
      client.post<{ results: BulkResults }>(`${app(appId)}/refunds/decisions`, { ids, agree, denyReason }),

    webhooks: (appId: string, filters: Query) =>
      client.get<{ deliveries: ConsoleDelivery[]; nextCursor: string | null }>(
        `${app(appId)}/webhooks`,
        filters,
      ),
    resendWebhooks: (appId: string, ids: string[]) =>
      client.post<{ results: BulkResults }>(`${app(appId)}/webhooks/resend`, { ids }),
    webhookHealth: (appId: string) =>
      client.get<{ test: ReceiverHealth; live: ReceiverHealth }>(`${app(appId)}/webhooks/health`),

    dashboard: (appId: string, mode?: Mode) => client.get<Dashboard>(`${app(appId)}/dashboard`, { mode }),

    audit: (filters: Query) =>
      client.get<{ entries: AuditEntry[]; nextCursor: string | null }>('/audit', filters),
  };
}

export type ConsoleApi = ReturnType<typeof consoleApi>;
