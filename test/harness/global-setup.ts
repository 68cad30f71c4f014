import type { TestProject } from "vitest/node";
import { startSqlOverHttpEndpoint } from "../../scripts/lib/sql-over-http";
import { startOutageControl } from "./outage-control";
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
  }
}

/** Runs once in Node before every project: real Postgres, migrations, and the `/sql` endpoint workerd needs. */
export default async function setup(project: TestProject) {
  const database = await createTestDatabase();
  const endpoint = await startSqlOverHttpEndpoint();
  project.provide("databaseUrl", database.url);
  project.provide("adminDatabaseUrl", database.adminUrl);
  project.provide("sqlEndpoint", endpoint.url);
  project.provide("testUsers", await seedTestUsers(database.url));
  const outage = await startOutageControl(database.adminUrl);
  project.provide("outageControl", outage.url);
  return async () => {
    await outage.close();
    await endpoint.close();
    await database.dispose();
  };
}
