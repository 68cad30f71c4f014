/**
 * npm run dev       → embedded Postgres + migrations + demo data + local Neon `/sql` endpoint + `wrangler dev` on :8787
 * npm run dev:node  → the same database, served by the Node entry (src/server.ts)
 *
 * DATABASE_URL (environment, then .dev.vars) replaces the embedded database.
 * The app runs with ENVIRONMENT=development, passed explicitly: that setting has no default.
 * Ctrl-C stops everything this script started, and only that.
 * Knobs: PORT, DEV_PG_PORT (54329), DEV_SQL_PORT (54330), DEV_DATA_DIR, LOG_LEVEL.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type DevDatabase, prepareDevDatabase } from "./lib/dev-database";
import { type AppProcess, type ExitResult, startApp } from "./lib/dev-processes";
import { type DevSettings, isLocalDatabase, readDevSettings, redactUrl } from "./lib/dev-settings";
import { developmentUsers } from "./lib/seed-users";
import { type SqlOverHttpEndpoint, startSqlOverHttpEndpoint } from "./lib/sql-over-http";

const STOP_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
/**
 * Under `npm run`, one Ctrl-C can arrive twice (from the terminal, and relayed
 * by npm and tsx); only a repeat after this long means "stop waiting".
 */
const REPEAT_SIGNAL_MS = 1_000;

/** What has been started so far, stopped in reverse order. */
interface Started {
  database?: DevDatabase;
  sqlEndpoint?: SqlOverHttpEndpoint | undefined;
  app?: AppProcess;
}

let stopRequest: { signal: NodeJS.Signals; at: number } | undefined;
let onStopRequest: (() => void) | undefined;

function handleStopSignals(started: Started): void {
  for (const signal of STOP_SIGNALS) {
    process.on(signal, () => {
      if (stopRequest === undefined) {
        stopRequest = { signal, at: Date.now() };
        onStopRequest?.();
      } else if (Date.now() - stopRequest.at > REPEAT_SIGNAL_MS) {
        console.log("dev: stopping now");
        started.app?.kill();
      }
    });
  }
}

/** Resolves with the signal once one arrives (at once if one already has). */
function stopRequested(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    if (stopRequest) return resolve(stopRequest.signal);
    onStopRequest = () => stopRequest && resolve(stopRequest.signal);
  });
}

/** The Worker talks to Neon's SQL-over-HTTP endpoint: a Postgres on this machine needs the local one, Neon does not. */
async function startSqlEndpointIfNeeded(settings: DevSettings, databaseUrl: string): Promise<SqlOverHttpEndpoint | undefined> {
  if (settings.runtime !== "workers" || !isLocalDatabase(databaseUrl)) return undefined;
  try {
    return await startSqlOverHttpEndpoint({ port: settings.sqlEndpointPort, log: (line) => console.error(line) });
  } catch (error) {
    throw new Error(
      `Could not start the local /sql endpoint on 127.0.0.1:${settings.sqlEndpointPort} (set DEV_SQL_PORT to use another port)`,
      {
        cause: error,
      },
    );
  }
}

function printDatabaseSummary(database: DevDatabase & { seeded: number | undefined }, elapsedMs: number): void {
  const url = database.server ? database.url : redactUrl(database.url);
  const seeded = database.seeded === undefined ? "not seeded (npm run db:seed)" : `${database.seeded} new demo product(s)`;
  console.log(`dev: ${url} · ${database.description} · migrations applied · ${seeded} · ${Math.round(elapsedMs)} ms`);
}

function printWhereToGo(settings: DevSettings): void {
  const base = `http://127.0.0.1:${settings.appPort}`;
  const runtime = settings.runtime === "workers" ? "wrangler dev (Workers runtime)" : "Node (src/server.ts)";
  const logins = developmentUsers.map((user) => `    ${user.role.padEnd(6)} ${user.email} / ${user.password}`).join("\n");
  console.log(
    `dev: starting ${runtime}; once ready:\n  ${base}/docs (Authorize with a login below)\n  ${base}/ready\n` +
      `  logins (embedded database only):\n${logins}\n` +
      `  token: curl -s ${base}/api/v1/auth/token -d username=admin@example.com -d password=dev-admin-password\n` +
      `  then:  curl -H "Authorization: Bearer <access_token>" ${base}/api/v1/products\n  Ctrl-C stops everything.`,
  );
}

/** Stop what was started, newest first. Each step runs even if an earlier one failed. */
async function stopAll(started: Started, signal: NodeJS.Signals): Promise<void> {
  const steps: Array<[string, () => Promise<unknown>]> = [
    ["app", async () => started.app?.stop(signal)],
    ["/sql endpoint", async () => started.sqlEndpoint?.close()],
    ["Postgres", async () => started.database?.server?.stop()],
  ];
  for (const [name, step] of steps) {
    try {
      await step();
    } catch (error) {
      console.error(`dev: stopping the ${name} failed:`, error);
    }
  }
}

function exitCodeOf(result: ExitResult): number {
  if (result.code !== null) return result.code;
  // Shell convention for "killed by a signal".
  return 128 + (result.signal === null ? 0 : os.constants.signals[result.signal]);
}

async function main(): Promise<number> {
  const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
  const settings = readDevSettings(repoRoot, process.argv.slice(2), process.env);
  const started: Started = {};
  handleStopSignals(started);

  try {
    const t0 = performance.now();
    const database = await prepareDevDatabase(settings);
    started.database = database;
    printDatabaseSummary(database, performance.now() - t0);
    if (stopRequest) {
      await stopAll(started, stopRequest.signal);
      return 0;
    }

    started.sqlEndpoint = await startSqlEndpointIfNeeded(settings, database.url);
    started.app = startApp(settings, {
      databaseUrl: database.url,
      neonHttpEndpoint: started.sqlEndpoint?.url,
      databaseUrlInDevVars: settings.userDatabaseSource === ".dev.vars",
    });
    printWhereToGo(settings);
  } catch (error) {
    await stopAll(started, "SIGTERM");
    // A Ctrl-C during start-up may reach Postgres too and fail the start: that is a stop, not an error.
    if (stopRequest) return 0;
    throw error;
  }

  const outcome = await Promise.race([started.app.exited, stopRequested()]);
  if (typeof outcome === "string") {
    await stopAll(started, outcome);
    return 0;
  }
  // The app exited on its own (a crash, or `x` in wrangler): stop the rest and pass its code on.
  console.log(`dev: the app exited (${outcome.signal ?? `code ${outcome.code}`}); stopping`);
  await stopAll(started, "SIGTERM");
  return exitCodeOf(outcome);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("dev:", error instanceof Error ? error.message : error);
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
    if (cause !== undefined && error instanceof Error && !error.message.includes(cause)) console.error("  cause:", cause);
    process.exit(1);
  },
);
