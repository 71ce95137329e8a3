/**
 * A gateway process for the migration-kill test: it loads everything first, says `ready`, and starts the gateway
 * on SPAY_DATA_DIR (migrations first) only when a line arrives on stdin — so the parent can kill it at a chosen
 * moment of the migration rather than of module loading. `--measure` only opens the store and prints how many
 * milliseconds the migrations took.
 */
import { createInterface } from 'node:readline';
import { startGateway } from '../server.ts';
import { openSqliteStore } from '../storage/store.ts';

const dataDir = process.env.SPAY_DATA_DIR;
if (!dataDir) throw new Error('SPAY_DATA_DIR is required');
const measure = process.argv.includes('--measure');

process.stdout.write('ready\n');
const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  void (async () => {
    const startedAt = performance.now();
    if (measure) {
      const store = await openSqliteStore(dataDir);
      process.stdout.write(`migrated in ${Math.ceil(performance.now() - startedAt)}\n`);
      await store.close();
    } else {
      const gateway = await startGateway({ dataDir, port: 0, logger: false, widgetDir: dataDir });
      process.stdout.write('started\n');
      await gateway.close();
    }
    lines.close();
  })();
});
