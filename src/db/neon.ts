import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import type { Config } from "../config";
import type { Logger } from "../core/logger";
import type { DatabaseLease } from "./database";

let configuredProxy: string | undefined;

/**
 * Local development and tests reach a plain Postgres through a WebSocket→TCP
 * bridge. Those settings must never apply against Neon itself, so they are set
 * only when `NEON_WS_PROXY` is configured.
 */
function useLocalBridge(proxyHost: string): void {
  if (configuredProxy === proxyHost) return;
  configuredProxy = proxyHost;
  neonConfig.wsProxy = (host, port) => `${proxyHost}?address=${host}:${port}`;
  neonConfig.useSecureWebSocket = false;
  neonConfig.pipelineTLS = false;
  // The default pipelined start-up breaks every local authentication method.
  neonConfig.pipelineConnect = false;
}

/**
 * A Neon WebSocket pool for a single Workers request: a Pool cannot outlive its
 * request, so the entry ends it (after the response) via `release`.
 */
export function openNeonDatabase(config: Config & { DATABASE_URL: string }, logger: Logger): DatabaseLease {
  if (config.NEON_WS_PROXY) useLocalBridge(config.NEON_WS_PROXY);
  const pool = new Pool({ connectionString: config.DATABASE_URL, max: 4, connectionTimeoutMillis: 5_000 });
  pool.on("error", (error: Error) => logger.warn("database connection failed", { error }));
  const db = drizzle({ client: pool });
  return {
    db,
    release: () => pool.end().catch((error: unknown) => logger.warn("closing database pool failed", { error })),
  };
}
