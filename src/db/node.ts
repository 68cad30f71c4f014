import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Config } from "../config";
import type { Logger } from "../core/logger";
import type { DatabaseLease } from "./database";

export interface NodeDatabase extends DatabaseLease {
  pool: pg.Pool;
  /** Drains the pool; used by graceful shutdown. */
  close(): Promise<void>;
}

/** One long-lived node-postgres pool for the whole Node process. */
export function createNodeDatabase(config: Config & { DATABASE_URL: string }, logger: Logger): NodeDatabase {
  const pool = new pg.Pool({
    connectionString: config.DATABASE_URL,
    max: config.DB_POOL_MAX,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // Without this listener a connection dropped by the server crashes the process.
  pool.on("error", (error) => logger.warn("idle database connection failed", { error }));
  const db = drizzle({ client: pool });
  return {
    db,
    pool,
    release: async () => {},
    close: () => pool.end(),
  };
}
