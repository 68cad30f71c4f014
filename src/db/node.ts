import { drizzle } from "drizzle-orm/node-postgres";
import pg from "pg";
import type { Config } from "../config";
import type { Logger } from "../core/logger";
import type { Database, OpenDatabase } from "./database";
import { timeQueries } from "./query-timer";
import { statementTimeoutMs } from "./statement-timeout";

export interface NodeDatabase {
  /** Untimed handle over the shared pool, for scripts and tests. */
  db: Database;
  pool: pg.Pool;
  /**
   * The database of one request: its own Drizzle instance over a view of the
   * shared pool timed on the request's timer, so each request's database time
   * is counted apart from the others' however their queries interleave.
   */
  open: OpenDatabase;
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
    // Sent in the startup message, so it costs no round trip.
    statement_timeout: statementTimeoutMs(config),
  });
  // Without this listener a connection dropped by the server crashes the process.
  pool.on("error", (error) => logger.warn("idle database connection failed", { error }));
  return {
    db: drizzle({ client: pool }),
    pool,
    open: (timer) => drizzle({ client: timeQueries(pool, timer) }),
    close: () => pool.end(),
  };
}
