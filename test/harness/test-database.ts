import { createDatabase, dropDatabase, type RunningPostgres, startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { freshClusterCopy } from "./cluster-cache";

export interface TestDatabase {
  /** URL of a throwaway database made for this run, migrated. */
  url: string;
  /** Superuser URL of the server (to create more throwaway databases). */
  adminUrl: string;
  /** The embedded server when this run started one (undefined with TEST_DATABASE_URL). */
  server: RunningPostgres | undefined;
  dispose(): Promise<void>;
}

/**
 * A fresh, migrated database for one test run: on `TEST_DATABASE_URL`'s server
 * when set (never that database itself), else on an embedded Postgres.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const external = process.env.TEST_DATABASE_URL;
  const server = external
    ? undefined
    : await startEmbeddedPostgres({ dataDir: await freshClusterCopy("product-service-test-"), fast: true });
  const adminUrl = external ?? (server as RunningPostgres).adminUrl;
  const name = `product_service_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const url = await createDatabase(adminUrl, name);
  await applyMigrations(url);
  return {
    url,
    adminUrl,
    server,
    async dispose() {
      await dropDatabase(adminUrl, name).catch(() => {});
      await server?.stop();
    },
  };
}
