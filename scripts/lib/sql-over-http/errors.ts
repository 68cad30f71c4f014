/**
 * Errors of the local `/sql` endpoint and the JSON Neon's proxy answers them
 * with (neondatabase/neon `proxy/src/serverless/sql_over_http.rs`, `handle`
 * and `SqlOverHttpError::get_http_status_code`).
 */
import { DatabaseError } from "pg";

/** The error body of `handle()`: every key always present, in this order. */
export interface NeonErrorBody {
  message: string;
  /** SQLSTATE, or "" when the error did not come from Postgres (`get` falls back to `Default`). */
  code: string;
  detail: string | null;
  hint: string | null;
  position: string | null;
  internalPosition: string | null;
  internalQuery: string | null;
  /** Postgres' severity, or "" like `code`. */
  severity: string;
  where: string | null;
  table: string | null;
  column: string | null;
  schema: string | null;
  dataType: string | null;
  constraint: string | null;
  file: string | null;
  line: string | null;
  routine: string | null;
}

/** One failure with the status the proxy gives it; `db` carries the Postgres fields when they are forwarded. */
export class SqlOverHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly db?: DatabaseError,
  ) {
    super(message);
  }
}

/** The client went away (`SqlOverHttpError::Cancelled`): the proxy answers a body with only these two keys. */
export class CancelledError extends Error {
  readonly body = { message: "Query cancelled, connection was terminated", code: "08P01" };
}

/** `ResponseTooLarge`: 507 INSUFFICIENT_STORAGE. */
export function responseTooLarge(max: number): SqlOverHttpError {
  return new SqlOverHttpError(507, `response is too large (max is ${max} bytes)`);
}

/**
 * `SqlOverHttpError::Postgres`: an error of a statement the client chose
 * (its own, or START TRANSACTION / COMMIT of its batch). Always 400; the
 * message is Postgres' own message when Postgres sent one.
 */
export function statementError(error: unknown): SqlOverHttpError {
  if (error instanceof DatabaseError) return new SqlOverHttpError(400, error.message, error);
  if (error instanceof SqlOverHttpError) return error;
  return new SqlOverHttpError(400, error instanceof Error ? error.message : String(error));
}

/**
 * `HttpConnError` while opening a connection. Neon checks the password in
 * the proxy (`AuthError::PasswordFailed`, 400, no Postgres fields); here
 * Postgres checks it, so its 28P01 becomes that same answer. Other Postgres
 * refusals keep their fields: 400 for a missing database (INVALID_CATALOG_NAME
 * is `ErrorKind::User`), 500 otherwise. A server that cannot be reached is
 * `ConnectionError`, whose client message is `COULD_NOT_CONNECT` (500).
 */
export function connectError(error: unknown, user: string): SqlOverHttpError {
  if (error instanceof DatabaseError) {
    if (error.code === "28P01") return new SqlOverHttpError(400, `password authentication failed for user '${user}'`);
    return new SqlOverHttpError(error.code === "3D000" ? 400 : 500, error.message, error);
  }
  return new SqlOverHttpError(500, "Couldn't connect to compute node");
}

/** Anything unexpected in the endpoint itself: 500, like the proxy's internal errors. */
export function internalError(error: unknown): SqlOverHttpError {
  if (error instanceof SqlOverHttpError) return error;
  return new SqlOverHttpError(500, error instanceof Error ? error.message : String(error));
}

/**
 * The body `handle()` builds. A position is either the statement's (`P`) or
 * an internal query's (`p` with `q`), never both (tokio-postgres'
 * `ErrorPosition`).
 */
export function errorBody(error: SqlOverHttpError): NeonErrorBody {
  const db = error.db;
  const original = db?.position;
  const internal = original === undefined ? db?.internalPosition : undefined;
  return {
    message: error.message,
    code: db?.code ?? "",
    detail: db?.detail ?? null,
    hint: db?.hint ?? null,
    position: original ?? null,
    internalPosition: internal ?? null,
    internalQuery: internal === undefined ? null : (db?.internalQuery ?? null),
    severity: db?.severity ?? "",
    where: db?.where ?? null,
    table: db?.table ?? null,
    column: db?.column ?? null,
    schema: db?.schema ?? null,
    dataType: db?.dataType ?? null,
    constraint: db?.constraint ?? null,
    file: db?.file ?? null,
    line: db?.line ?? null,
    routine: db?.routine ?? null,
  };
}
