import type { Config } from "../config";

/**
 * Postgres `statement_timeout` for every connection, in ms. Capped at the
 * request budget: when a request runs out of time, Postgres itself cancels
 * the statement it was waiting on (a lock wait included) within one budget,
 * on every runtime, even if this process is stuck or gone.
 */
export function statementTimeoutMs(config: Pick<Config, "DB_STATEMENT_TIMEOUT_MS" | "REQUEST_TIMEOUT_MS">): number {
  return Math.min(config.DB_STATEMENT_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS);
}
