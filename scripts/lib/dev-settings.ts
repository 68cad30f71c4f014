/**
 * Settings of `npm run dev`, read once from the environment and `.dev.vars`.
 * Only this file and the dev script's entry read `process.env`-like sources.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

export type Runtime = "workers" | "node";

export interface DevSettings {
  repoRoot: string;
  runtime: Runtime;
  /** The user's own database (environment first, then `.dev.vars`); undefined: start the embedded one. */
  userDatabaseUrl: string | undefined;
  /** Where the user's URL came from, for the start-up summary. */
  userDatabaseSource: "environment" | ".dev.vars" | undefined;
  /** Fixed by default so the printed URL stays the same from one run to the next. */
  postgresPort: number;
  /** Port of the local SQL-over-HTTP endpoint (Neon's `/sql`) the Worker reaches a local Postgres through. */
  sqlEndpointPort: number;
  /** HTTP port of wrangler dev or the Node server. */
  appPort: number;
  /** Explicit data directory (tests use a throwaway one); undefined: `.data/postgres` or its fallback. */
  dataDir: string | undefined;
  logLevel: string;
}

const DEFAULT_POSTGRES_PORT = 54329;
const DEFAULT_SQL_ENDPOINT_PORT = 54330;
const DEFAULT_APP_PORT = 8787;

/**
 * Parse simple `KEY=VALUE` lines (the `.dev.vars` format wrangler reads):
 * blank lines and `#` comments skipped, an optional `export ` prefix and one
 * pair of matching quotes around the value removed. No escapes or interpolation.
 */
export function parseDevVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.trim();
    if (line === "" || line.startsWith("#")) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    const [, key = "", value = ""] = match;
    vars.set(key, unquote(value));
  }
  return vars;
}

function unquote(value: string): string {
  const first = value[0];
  if (value.length >= 2 && (first === '"' || first === "'") && value.endsWith(first)) return value.slice(1, -1);
  return value;
}

function readDevVars(repoRoot: string): Map<string, string> {
  const file = path.join(repoRoot, ".dev.vars");
  return existsSync(file) ? parseDevVars(readFileSync(file, "utf8")) : new Map();
}

function portFrom(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    throw new Error(`${name} must be a TCP port (1-65535), got ${JSON.stringify(raw)}`);
  }
  return port;
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

export function readDevSettings(repoRoot: string, argv: readonly string[], env: NodeJS.ProcessEnv): DevSettings {
  const fromEnv = nonEmpty(env.DATABASE_URL);
  const fromFile = fromEnv === undefined ? nonEmpty(readDevVars(repoRoot).get("DATABASE_URL")) : undefined;
  const userDatabaseUrl = fromEnv ?? fromFile;
  return {
    repoRoot,
    runtime: argv.includes("--node") ? "node" : "workers",
    userDatabaseUrl,
    userDatabaseSource: fromEnv !== undefined ? "environment" : fromFile !== undefined ? ".dev.vars" : undefined,
    postgresPort: portFrom(env, "DEV_PG_PORT", DEFAULT_POSTGRES_PORT),
    sqlEndpointPort: portFrom(env, "DEV_SQL_PORT", DEFAULT_SQL_ENDPOINT_PORT),
    appPort: portFrom(env, "PORT", DEFAULT_APP_PORT),
    dataDir: nonEmpty(env.DEV_DATA_DIR),
    logLevel: nonEmpty(env.LOG_LEVEL) ?? "info",
  };
}

/** True for a Postgres on this machine: the Neon driver then needs the local `/sql` endpoint to reach it. */
export function isLocalDatabase(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.toLowerCase();
  } catch {
    return false;
  }
  return host === "localhost" || host === "127.0.0.1" || host === "[::1]" || host === "::1";
}

/** The URL with its password masked, safe to print. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
