import type { DatabaseRefusal } from "../core/domain-errors";

/** The error and its `cause` chain (Drizzle wraps driver errors in "Failed query" errors). */
function* causes(error: unknown): Generator<unknown> {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current !== undefined && current !== null; depth++) {
    yield current;
    current = current instanceof Error ? current.cause : undefined;
  }
}

/** The first SQLSTATE or errno code found along the cause chain. */
export function databaseErrorCode(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    const code = cause instanceof Error ? (cause as Error & { code?: unknown }).code : undefined;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** The violated constraint's name along the cause chain (node-postgres and Neon both set it), if any. */
export function constraintName(error: unknown): string | undefined {
  for (const cause of causes(error)) {
    const constraint = cause instanceof Error ? (cause as Error & { constraint?: unknown }).constraint : undefined;
    if (typeof constraint === "string") return constraint;
  }
  return undefined;
}

export const isUniqueViolation = (error: unknown) => databaseErrorCode(error) === "23505";

/**
 * `require_role` (migration 0007) refused the caller inside a statement: `stale` when the token's
 * user is gone or its role or password changed since the token was issued, `forbidden` when the
 * stored role is too low.
 */
export function storedRoleRefusal(error: unknown): "stale" | "forbidden" | undefined {
  const code = databaseErrorCode(error);
  if (code === "UA401") return "stale";
  if (code === "UA403") return "forbidden";
  return undefined;
}

/** A row is still referenced (or references a missing row): the client's request conflicts with other data. */
export const isForeignKeyViolation = (error: unknown) => databaseErrorCode(error) === "23503";

const unavailableCodes = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EAI_AGAIN",
  "53300",
  "57P01",
  "57P02",
  "57P03",
  // query_canceled: statement_timeout (capped at the request budget) fired; the statement may succeed later.
  "57014",
]);
const unavailableMessage =
  /connection terminated|connection refused|terminating connection|timeout|socket hang up|closed the connection|error connecting to database|server error \(http status 50[0-4]\)/i;

/**
 * True when the database could not be reached or dropped us: the request may
 * succeed later (503, not 500). Over HTTP (Workers) that includes the Neon
 * driver's "Error connecting to database" (the fetch failed or was aborted by
 * the request budget) and "Server error (HTTP status 500–504)" (the endpoint
 * could not reach Postgres); Postgres' own errors keep their SQLSTATE.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = databaseErrorCode(error);
  if (code !== undefined && (unavailableCodes.has(code) || code.startsWith("08"))) return true;
  for (const cause of causes(error)) {
    if (cause instanceof Error && unavailableMessage.test(cause.message)) return true;
  }
  return false;
}

// The server ended the session (pg_terminate_backend, a restart, a failover) or the socket broke under it.
const droppedCodes = new Set(["57P01", "57P02", "ECONNRESET", "EPIPE"]);
const droppedMessage = /connection terminated|terminating connection|not queryable|socket hang up|closed the connection|connection lost/i;

/**
 * True when the connection a statement used went away under it: the statement
 * did not complete (or its answer was lost), and another pooled connection may
 * well work at once. Not a refused connection or a timeout, which a retry
 * would only repeat.
 */
export function isDroppedConnection(error: unknown): boolean {
  const code = databaseErrorCode(error);
  if (code !== undefined && (droppedCodes.has(code) || code === "08006" || code === "08003")) return true;
  for (const cause of causes(error)) {
    if (cause instanceof Error && droppedMessage.test(cause.message)) return true;
  }
  return false;
}

/** The request-level meaning of a database error (see `DatabaseRefusal`), or undefined for a bug. */
export function databaseRefusal(error: unknown): DatabaseRefusal | undefined {
  const refusal = storedRoleRefusal(error);
  if (refusal === "stale") return "stale_token";
  if (refusal === "forbidden") return "role_too_low";
  if (isForeignKeyViolation(error)) return "referenced";
  if (isDatabaseUnavailable(error)) return "unavailable";
  return undefined;
}
