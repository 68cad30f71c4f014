import type { TestProject } from "vitest/node";
import { startSqlOverHttpEndpoint } from "../../scripts/lib/sql-over-http";
import { startOutageControl } from "./outage-control";
import { createPostgresTemplate } from "./restartable-postgres";
import { createTestDatabase } from "./test-database";
import { seedTestUsers, type TestUsers } from "./test-users";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    adminDatabaseUrl: string;
    /** The local SQL-over-HTTP endpoint (Neon's `/sql`) the Worker reaches Postgres through. */
    sqlEndpoint: string;
    testUsers: TestUsers;
    /** Base URL of the endpoint that stops/starts the Workers outage test's own Postgres and endpoint, and relays sessions. */
    outageControl: string;
    /** A stopped, migrated and seeded cluster that each test's own restartable Postgres copies (restartable-postgres.ts). */
    postgresTemplate: string;
  }
}

/** Runs once in Node before every project: real Postgres, migrations, and the `/sql` endpoint workerd needs. */
export default async function setup(project: TestProject) {
  // Independent start-ups at once: every test file waits for all of them.
  const [database, endpoint, template] = await Promise.all([createTestDatabase(), startSqlOverHttpEndpoint(), createPostgresTemplate()]);
  const [testUsers, outage] = await Promise.all([seedTestUsers(database.url), startOutageControl(database.adminUrl, template.dataDir)]);
  project.provide("databaseUrl", database.url);
  project.provide("adminDatabaseUrl", database.adminUrl);
  project.provide("sqlEndpoint", endpoint.url);
  project.provide("testUsers", testUsers);
  project.provide("postgresTemplate", template.dataDir);
  project.provide("outageControl", outage.url);
  return async () => {
    await outage.close();
    await endpoint.close();
    await database.dispose();
    await template.dispose();
  };
}
