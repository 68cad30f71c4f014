/**
 * What a `/sql` request asks for, read from its headers the way Neon's proxy
 * reads them: `get_conn_info` (proxy/src/serverless/http_util.rs) for the
 * connection string, `HttpHeaders::try_parse` (sql_over_http.rs) for the flags.
 */
import type { IncomingHttpHeaders } from "node:http";
import { SqlOverHttpError } from "./errors";

export type IsolationLevel = "READ UNCOMMITTED" | "READ COMMITTED" | "REPEATABLE READ" | "SERIALIZABLE";

/** The Postgres a request names, with the credentials Postgres will check. */
export interface ConnectionTarget {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
  /** One pool per distinct target; query parameters (sslmode, application_name) are not part of it. */
  key: string;
}

export interface RequestFlags {
  rawTextOutput: boolean;
  arrayMode: boolean;
  isolationLevel: IsolationLevel | undefined;
  /** The header's own spelling, echoed on a batch's answer like `map_isolation_level_to_headers`. */
  isolationHeader: string | undefined;
  readOnly: boolean;
  deferrable: boolean;
}

// `map_header_to_isolation_level`: exact, case-sensitive values.
const ISOLATION_LEVELS: Record<string, IsolationLevel> = {
  Serializable: "SERIALIZABLE",
  ReadUncommitted: "READ UNCOMMITTED",
  ReadCommitted: "READ COMMITTED",
  RepeatableRead: "REPEATABLE READ",
};

/** A local tool: only loopback Postgres. (Neon itself requires a domain and refuses IP hosts.) */
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]", "::1"]);

const CONN_STRING = "neon-connection-string";

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** "Anything that is not strictly 'true' assumed to be false." */
function isTrue(headers: IncomingHttpHeaders, name: string): boolean {
  return header(headers, name) === "true";
}

function badConnInfo(message: string): SqlOverHttpError {
  return new SqlOverHttpError(400, message);
}

/** `get_conn_info`: each `ConnInfoError` is a 400 with its message, checked in the proxy's order. */
export function parseConnectionTarget(headers: IncomingHttpHeaders): ConnectionTarget {
  const raw = header(headers, CONN_STRING);
  // `HeaderValue::to_str` accepts visible ASCII only.
  if (raw === undefined || !/^[\t\x20-\x7e]*$/.test(raw)) throw badConnInfo(`invalid header: ${CONN_STRING}`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    const reason = /^[a-z][a-z0-9+.-]*:/i.test(raw) ? "invalid URL" : "relative URL without a base";
    throw badConnInfo(`invalid connection string: ${reason}`);
  }
  if (url.protocol !== "postgres:" && url.protocol !== "postgresql:") throw badConnInfo("incorrect scheme");
  // A URL without an authority ("postgres:x") has no path segments in the url crate.
  if (!raw.slice(url.protocol.length).startsWith("//")) throw badConnInfo("missing database name");
  const database = decodeURIComponent(url.pathname.replace(/^\//, "").split("/")[0] ?? "");
  const user = decodeURIComponent(url.username);
  if (user === "") throw badConnInfo("missing username");
  // The url crate reports an empty password as none.
  if (url.password === "") throw badConnInfo("missing authentication credentials: required password");
  const password = decodeURIComponent(url.password);
  if (url.hostname === "") throw badConnInfo("missing hostname");
  if (!LOOPBACK_HOSTS.has(url.hostname.toLowerCase())) {
    throw badConnInfo(
      `invalid hostname: ${url.hostname} is not a loopback host (the local endpoint serves 127.0.0.1, localhost and ::1 only)`,
    );
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const port = url.port === "" ? 5432 : Number(url.port);
  return { host, port, database, user, password, key: JSON.stringify([host, port, database, user, password]) };
}

/** `HttpHeaders::try_parse`: an unknown isolation level is a 400 "invalid isolation level", even for a single query. */
export function parseFlags(headers: IncomingHttpHeaders): RequestFlags {
  const isolationHeader = header(headers, "neon-batch-isolation-level");
  let isolationLevel: IsolationLevel | undefined;
  if (isolationHeader !== undefined) {
    isolationLevel = ISOLATION_LEVELS[isolationHeader];
    if (isolationLevel === undefined) throw new SqlOverHttpError(400, "invalid isolation level");
  }
  return {
    rawTextOutput: isTrue(headers, "neon-raw-text-output"),
    arrayMode: isTrue(headers, "neon-array-mode"),
    isolationLevel,
    isolationHeader,
    readOnly: isTrue(headers, "neon-batch-read-only"),
    deferrable: isTrue(headers, "neon-batch-deferrable"),
  };
}

/** `TransactionBuilder::start`: the statement a batch begins with. Read-only and deferrable are only ever switched on. */
export function startTransactionSql(flags: RequestFlags): string {
  const parts: string[] = [];
  if (flags.isolationLevel) parts.push(` ISOLATION LEVEL ${flags.isolationLevel}`);
  if (flags.readOnly) parts.push(" READ ONLY");
  if (flags.deferrable) parts.push(" DEFERRABLE");
  return `START TRANSACTION${parts.join(",")}`;
}
