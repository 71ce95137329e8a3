/**
 * `npm run webhooks -- <command>`: inspect and resend webhooks in SPAY_DATA_DIR (./data).
 *   list [--app APP_ID] [--transaction BILL_NO] [--status pending|delivered|failed|no_endpoint] [--limit N]
 *   resend WEBHOOK_ID
 *   resend --app APP_ID --transaction BILL_NO
 * A running gateway picks resent webhooks up within 30 s (its periodic look at the outbox).
 */
import { resolve } from 'node:path';
import { openSqliteStore } from '../storage/store.ts';
import {
  DELIVERY_STATUSES,
  listDeliveries,
  resendDeliveries,
  type DeliveryStatus,
} from '../webhooks/webhook-deliveries.ts';
import { CliError, parseCliArgs } from './cli-args.ts';

const usage = `usage: npm run webhooks -- list [--app APP_ID] [--transaction BILL_NO] [--status pending|delivered|failed|no_endpoint] [--limit N]
       npm run webhooks -- resend WEBHOOK_ID
       npm run webhooks -- resend --app APP_ID --transaction BILL_NO`;

export async function runWebhooksCli(argv: string[], dataDir: string): Promise<unknown> {
  const { positional, options } = parseCliArgs(argv);
  const [command, webhookId] = positional;
  const store = await openSqliteStore(dataDir);
  try {
    switch (command) {
      case 'list': {
        const status = options.get('status');
        if (status !== undefined && !(DELIVERY_STATUSES as readonly string[]).includes(status)) {
          throw new CliError(`--status must be one of ${DELIVERY_STATUSES.join(', ')}`);
        }
        const limitText = options.get('limit');
        const limit = limitText === undefined ? undefined : Number(limitText);
        if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
          throw new CliError('--limit must be a positive integer');
        return await listDeliveries(
          store,
          {
            appId: options.get('app'),
            transactionId: options.get('transaction'),
            status: status as DeliveryStatus | undefined,
          },
          { skip: 0, limit: Math.min(limit ?? 20, 200) },
        );
      }
      case 'resend': {
        if (webhookId) {
          const resent = await resendDeliveries(store, { webhookId });
          if (resent.length === 0) throw new CliError(`no webhook ${webhookId}`);
          return { resent: 1 };
        }
        const appId = options.get('app');
        const transactionId = options.get('transaction');
        if (!appId || !transactionId)
          throw new CliError('resend needs a WEBHOOK_ID or --app and --transaction');
        const resent = await resendDeliveries(store, { appId, transactionId });
        if (resent.length === 0) throw new CliError(`no webhook for ${transactionId} of ${appId}`);
        return { resent: resent.length };
      }
      default:
        throw new CliError(command ? `unknown command ${command}` : 'a command is required');
    }
  } finally {
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runWebhooksCli(process.argv.slice(2), resolve(process.env.SPAY_DATA_DIR || 'data')).then(
    (result) => console.log(JSON.stringify(result, null, 2)),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : String(error));
      if (error instanceof CliError) console.error(usage);
      process.exit(error instanceof CliError ? 2 : 1);
    },
  );
}
