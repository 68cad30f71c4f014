import { neon, neonConfig } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-http";
import type { Config } from "../config";
import type { QueryTimer } from "../core/query-timer";
import type { Database } from "./database";

/**
 * The Workers path to the database: Neon's SQL over HTTP, one `fetch` per
 * statement. A Worker cannot keep a database connection between requests, so
 * the WebSocket driver paid, on every request, a new WebSocket, Postgres
 * start-up and SCRAM authentication before its one statement: 4 to 6 round
 * trips to the database's region. Over HTTP the connection to Postgres is
 * Neon's, pooled next to the database, and workerd keeps its own connection
 * to Neon's endpoint alive: one round trip per statement (docs/performance.md).
 *
 * Nothing here can span two requests to Postgres: no interactive
 * transactions. Work that must be atomic is one statement (data-modifying
 * CTEs, see the idempotent create) or one `batch` (one HTTP request, one
 * transaction).
 */
export interface NeonRequestOptions {
  /** Times every statement of the request (`dbTimeMs`, Server-Timing). */
  timer?: QueryTimer | undefined;
  /**
   * Aborts the request's statements (the request budget ran out, `/ready` timed
   * out). Neon's endpoint cancels the running query when its client goes away.
   */
  signal?: AbortSignal | undefined;
}

/** What a request passes to its statements' `fetch` through the driver's `fetchOptions`. */
interface StatementFetchOptions extends RequestInit {
  queryTimer?: QueryTimer;
  /** Replaces the endpoint the driver derived from the connection string (the local one). */
  endpoint?: string;
}

/**
 * The driver's `fetch` (`neonConfig.fetchFunction`, global to the isolate, so
 * the same function every time): per-request settings come in its options, so
 * two requests of one isolate never see each other's.
 */
async function statementFetch(input: string, init: StatementFetchOptions): Promise<Response> {
  const { queryTimer, endpoint, ...rest } = init;
  const url = endpoint ?? input;
  if (!queryTimer) return fetch(url, rest);
  const stop = queryTimer.start();
  try {
    const response = await fetch(url, rest);
    // The answer is read here so its transfer counts too; the driver then reads the copy.
    return new Response(await response.arrayBuffer(), response);
  } finally {
    stop();
  }
}

/**
 * A Drizzle database over Neon's HTTP endpoint for one request. Cheap to make
 * (no connection is opened), and nothing needs closing afterwards.
 *
 * `NEON_HTTP_ENDPOINT` (local development and tests only) points the driver at
 * the local implementation of Neon's `/sql` endpoint (scripts/lib/sql-over-http);
 * unset, the driver derives Neon's own endpoint from `DATABASE_URL`'s host.
 */
export function openNeonDatabase(config: Config & { DATABASE_URL: string }, options: NeonRequestOptions = {}): Database {
  neonConfig.fetchFunction = statementFetch;
  const fetchOptions: StatementFetchOptions = {};
  if (options.signal) fetchOptions.signal = options.signal;
  if (options.timer) fetchOptions.queryTimer = options.timer;
  if (config.NEON_HTTP_ENDPOINT) fetchOptions.endpoint = config.NEON_HTTP_ENDPOINT;
  return drizzle({ client: neon(config.DATABASE_URL, { fetchOptions }) });
}
