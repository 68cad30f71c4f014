import type { TestProject } from "vitest/node";
import { startWebSocketBridge } from "../../scripts/lib/ws-bridge";
import { startOutageControl } from "./outage-control";
import { createTestDatabase } from "./test-database";
import { seedTestUsers, type TestUsers } from "./test-users";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    adminDatabaseUrl: string;
    wsProxy: string;
    testUsers: TestUsers;
    /** Base URL of the endpoint that stops/starts the Workers outage test's own Postgres (and serves the Workers fault test). */
    outageControl: string;
  }
}

/** Runs once in Node before every project: real Postgres, migrations, and the bridge workerd needs. */
export default async function setup(project: TestProject) {
  const database = await createTestDatabase();
  const bridge = await startWebSocketBridge();
  project.provide("databaseUrl", database.url);
  project.provide("adminDatabaseUrl", database.adminUrl);
  project.provide("wsProxy", bridge.proxyHost);
  project.provide("testUsers", await seedTestUsers(database.url));
  const outage = await startOutageControl(database.adminUrl);
  project.provide("outageControl", outage.url);
  return async () => {
    await outage.close();
    await bridge.close();
    await database.dispose();
  };
}
