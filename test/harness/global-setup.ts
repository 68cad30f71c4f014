import type { TestProject } from "vitest/node";
import { startWebSocketBridge } from "../../scripts/lib/ws-bridge";
import { createTestDatabase } from "./test-database";
import { seedTestUsers, type TestUsers } from "./test-users";

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
    adminDatabaseUrl: string;
    wsProxy: string;
    testUsers: TestUsers;
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
  return async () => {
    await bridge.close();
    await database.dispose();
  };
}
