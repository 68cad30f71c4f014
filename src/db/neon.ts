import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import type { Config } from "../config";
import type { Logger } from "../core/logger";
import type { DatabaseLease } from "./database";
import { type QueryTimer, timeQueries } from "./query-timer";
import { statementTimeoutMs } from "./statement-timeout";

let configuredProxy: string | undefined;

/**
 * The platform's WebSocket, except that `send` on a closed socket does nothing
 * instead of throwing. The driver sends from a timer (coalesced writes) and
 * while ending a pool, so on a connection the server dropped
 * (`pg_terminate_backend`, a restart, a failover) the throw was an uncaught
 * TypeError in workerd; the close itself already fails the pending query.
 */
class ClosedSafeWebSocket extends WebSocket {
  override send(message: Parameters<WebSocket["send"]>[0]): void {
    if (this.readyState === WebSocket.CLOSING || this.readyState === WebSocket.CLOSED) return;
    super.send(message);
  }
}

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
export function openNeonDatabase(config: Config & { DATABASE_URL: string }, logger: Logger, timer?: QueryTimer): DatabaseLease {
  neonConfig.webSocketConstructor = ClosedSafeWebSocket;
  if (config.NEON_WS_PROXY) useLocalBridge(config.NEON_WS_PROXY);
  const pool = new Pool({
    connectionString: config.DATABASE_URL,
    max: 4,
    connectionTimeoutMillis: 5_000,
    // A startup parameter: plain Postgres (behind the local bridge) honours it, but Neon's pooled
    // endpoints reject it ("unsupported startup parameter") and direct ones may ignore it, so
    // against Neon the timeout belongs to the role (`ALTER ROLE … SET statement_timeout`, see README).
    ...(config.NEON_WS_PROXY ? { statement_timeout: statementTimeoutMs(config) } : {}),
  });
  pool.on("error", (error: Error) => logger.warn("database connection failed", { error }));
  // Untimed only outside a request (tests, scripts): the app always passes the request's timer.
  const db = drizzle({ client: timer ? timeQueries(pool, timer) : pool });
  return {
    db,
    release: () => pool.end().catch((error: unknown) => logger.warn("closing database pool failed", { error })),
  };
}
