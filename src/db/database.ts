import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { QueryTimer } from "../core/query-timer";

/** The one database type every driver produces, so queries are written once. */
export type Database = PgDatabase<PgQueryResultHKT>;

/**
 * The database for one request, absent when no `DATABASE_URL` is configured.
 * Every statement (and, on Node, every wait for a pooled connection) is timed
 * on `timer`: the request's own, so its database time is known even while a
 * statement is still running (a request abandoned by its time budget).
 * `signal` aborts the request's statements where the driver can (Workers,
 * over HTTP); on Node, Postgres' `statement_timeout` ends them.
 * Nothing needs releasing: Node's pool outlives requests, and the HTTP path
 * holds no connection.
 */
export type OpenDatabase = (timer: QueryTimer, signal?: AbortSignal) => Database;
