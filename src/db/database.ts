import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { QueryTimer } from "./query-timer";

/** The one database type every driver produces, so queries are written once. */
export type Database = PgDatabase<PgQueryResultHKT>;

/** A database handle for one request; `release` returns or closes what the runtime opened. */
export interface DatabaseLease {
  db: Database;
  release(): Promise<void>;
}

/**
 * Opens a lease per request. Absent when no `DATABASE_URL` is configured.
 * Every query of the lease (and every wait for a pooled connection) is timed on
 * `timer`: the request's own, so its database time is known even while a query
 * is still running (a request abandoned by its time budget).
 */
export type OpenDatabase = (timer: QueryTimer) => DatabaseLease;
