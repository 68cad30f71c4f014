import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";

/** The one database type every driver produces, so queries are written once. */
export type Database = PgDatabase<PgQueryResultHKT>;

/** A database handle for one request; `release` returns or closes what the runtime opened. */
export interface DatabaseLease {
  db: Database;
  release(): Promise<void>;
}

/** Opens a lease per request. Absent when no `DATABASE_URL` is configured. */
export type OpenDatabase = () => DatabaseLease;
