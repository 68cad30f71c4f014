import { inject } from "vitest";
import { createApp } from "../../src/app";
import { createClient } from "../../src/client";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/core/logger";
import { createNodeDatabase, type NodeDatabase } from "../../src/db/node";
import { authorised, BASE_URL, type ContractTarget } from "../contract/target";

export interface NodeTarget extends ContractTarget {
  database: NodeDatabase;
  /** Statements sent to Postgres since the last reset (counted at the driver: every client.query). */
  statements(): number;
  resetStatements(): void;
}

/** The app as the Node entry builds it: node-postgres pool, real Postgres. */
export function createNodeTarget(overrides: Record<string, string> = {}): NodeTarget {
  const config = loadConfig({ DATABASE_URL: inject("databaseUrl"), ENVIRONMENT: "test", LOG_LEVEL: "silent", ...overrides });
  const logger = createLogger(config.LOG_LEVEL);
  const database = createNodeDatabase({ ...config, DATABASE_URL: config.DATABASE_URL ?? "" }, logger);
  let count = 0;
  database.pool.on("connect", (client) => {
    const original = client.query.bind(client) as (...args: unknown[]) => unknown;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
      count++;
      return original(...args);
    };
  });
  const app = createApp({ config, logger, openDatabase: database.open });
  const { as, fetch, clientFetch } = authorised((request) => Promise.resolve(app.fetch(request)));
  return {
    runtime: "node",
    fetch,
    as,
    client: createClient(BASE_URL, { fetch: clientFetch }),
    database,
    statements: () => count,
    resetStatements: () => {
      count = 0;
    },
  };
}
