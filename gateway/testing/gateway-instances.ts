/**
 * Several gateway instances on one database, for tests of the rules that must hold whatever instance a request
 * reaches. On PostgreSQL (`npm run test:postgres`) they are separate gateways sharing one fresh database, each
 * with its own pool, dispatcher and timers; on SQLite — one gateway per database by design — the "instances" are
 * the one gateway.
 */
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway-harness.ts';
import { testDatabaseEngine } from './test-database.ts';

export async function startGatewayInstances(
  count: number,
  options: TestGatewayOptions = {},
): Promise<{ instances: TestGateway[]; close(): Promise<void> }> {
  const first = await startTestGateway(options);
  const others: TestGateway[] = [];
  try {
    if (testDatabaseEngine() === 'postgres') {
      for (let i = 1; i < count; i += 1) {
        others.push(await startTestGateway({ ...options, app: first.app, databaseUrl: first.databaseUrl }));
      }
    }
  } catch (error) {
    for (const gateway of others) await gateway.close();
    await first.close();
    throw error;
  }
  const instances = others.length > 0 ? [first, ...others] : Array.from({ length: count }, () => first);
  return {
    instances,
    async close() {
      // The first one last: it owns the database.
      for (const gateway of others.reverse()) await gateway.close();
      await first.close();
    },
  };
}
