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

export const isUniqueViolation = (error: unknown) => databaseErrorCode(error) === "23505";

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
  /connection terminated|connection refused|terminating connection|timeout|websocket|socket hang up|closed the connection/i;

/** The Neon driver reports a failed WebSocket as a DOM ErrorEvent, not an Error. */
const isSocketErrorEvent = (value: unknown) =>
  typeof value === "object" && value !== null && !(value instanceof Error) && (value as { type?: unknown }).type === "error";

/** True when the database could not be reached or dropped us: the request may succeed later (503, not 500). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = databaseErrorCode(error);
  if (code !== undefined && (unavailableCodes.has(code) || code.startsWith("08"))) return true;
  for (const cause of causes(error)) {
    if (isSocketErrorEvent(cause)) return true;
    if (cause instanceof Error && unavailableMessage.test(cause.message)) return true;
  }
  return false;
}
