import type { Config } from "../config";

/**
 * How much later than the request budget Postgres may cancel a statement:
 * enough that the budget's own 503 ("took longer than its budget") is the
 * answer, not a cancelled statement's, even when a busy event loop runs the
 * budget's timer late.
 */
export const STATEMENT_GRACE_MS = 250;

/**
 * Postgres `statement_timeout` for every Node connection, in ms: the smaller of
 * DB_STATEMENT_TIMEOUT_MS and the request budget (plus a short grace). When a
 * request runs out of time, Postgres itself cancels the statement it was
 * waiting on (a lock wait included), even if this process is stuck or gone.
 */
export function statementTimeoutMs(config: Pick<Config, "DB_STATEMENT_TIMEOUT_MS" | "REQUEST_TIMEOUT_MS">): number {
  return Math.min(config.DB_STATEMENT_TIMEOUT_MS, config.REQUEST_TIMEOUT_MS + STATEMENT_GRACE_MS);
}
