/**
 * Vitest global set-up of `npm run test:postgres` (vitest.postgres.config.ts): one throw-away PostgreSQL cluster
 * for the whole run (scripts/postgres-cluster.ts — or the server of `SPAY_DATABASE_URL`), announced to the test
 * workers in `SPAY_TEST_POSTGRES_URL`; every test gateway then makes a database of its own on it
 * (gateway/testing/test-database.ts). Stopped, and its files removed, after the run.
 */
import { startThrowawayPostgres } from '../../scripts/postgres-cluster.ts';

export default async function setup(): Promise<() => Promise<void>> {
  const cluster = await startThrowawayPostgres();
  process.env.SPAY_TEST_POSTGRES_URL = cluster.url;
  process.env.SPAY_TEST_DATABASE = 'postgres';
  return async () => {
    await cluster.stop();
  };
}
