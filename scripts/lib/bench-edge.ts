/**
 * `npm run bench -- --edge [--rtt=20] [--requests=60] [--warmup=5] [--entries=node,workers]`
 *
 * What a request costs when the database is a round trip away: a delay proxy
 * (scripts/lib/delay-proxy.ts, half the RTT each way) sits on the leg that crosses the
 * world in production, and one client sends requests one at a time over one keep-alive
 * connection (scripts/lib/bench-edge-client.ts), so p50 ÷ RTT reads as round trips.
 *   Node:    dist/server.js → delay proxy → Postgres (its long-lived pg Pool)
 *   Workers: workerd serving the deployed bundle (scripts/lib/bench-workerd.ts says why not
 *            wrangler dev) → delay proxy → local SQL-over-HTTP endpoint → Postgres
 *            (Neon's `/sql` sits next to the database, so the delay goes before it);
 *            `--entries=…,wrangler-dev` adds the same through `wrangler dev`, for comparison
 * A GET /health row (no database) gives each entry's local floor, to read the rest by.
 * Prints a table per entry and the targets (EDGE_LIMITS); writes .bench/edge-results.json.
 * Exits 1 when a target is missed or a request failed.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildNode } from "../build-node";
import { type BenchDatabase, prepareBenchDatabase } from "./bench-database";
import { type EdgeRun, type EdgeTokens, runEdgeCycles } from "./bench-edge-client";
import {
  EDGE_OPERATIONS,
  type EdgeEntry,
  type EdgeEntryResult,
  type EdgeOptions,
  evaluateEdgeTargets,
  formatEdgeEntry,
  parseEdgeOptions,
  summariseOperation,
} from "./bench-edge-report";
import { describeMachine } from "./bench-machine";
import { fetchToken, startBenchServer } from "./bench-server";
import { startWorkerd } from "./bench-workerd";
import { run, startWranglerDev } from "./bench-workers";
import { startDelayProxy } from "./delay-proxy";
import { findFreePort } from "./embedded-postgres";
import { startSqlOverHttpEndpoint } from "./sql-over-http";

const PRODUCTS = 10_000;

interface Context {
  repoRoot: string;
  workDir: string;
  options: EdgeOptions;
  database: BenchDatabase;
  log: (line: string) => void;
}

/** A started entry: where to send requests, and how to take it all down again. */
interface RunningEntry {
  baseUrl: string;
  path: string;
  stop(): Promise<void>;
}

/** Runs `stops` in reverse order of start, each even when one before it failed. */
async function stopAll(stops: (() => Promise<void>)[]): Promise<void> {
  for (const stop of stops.reverse()) await stop().catch(() => {});
}

async function delayedTo(url: URL, rttMs: number, log: (line: string) => void) {
  return startDelayProxy({ targetHost: url.hostname, targetPort: Number(url.port || 5432), oneWayDelayMs: rttMs / 2, log });
}

async function startNode(context: Context): Promise<RunningEntry> {
  const real = new URL(context.database.url);
  const stops: (() => Promise<void>)[] = [];
  try {
    const proxy = await delayedTo(real, context.options.rttMs, context.log);
    stops.push(proxy.close);
    const proxied = new URL(real);
    proxied.hostname = "127.0.0.1";
    proxied.port = String(proxy.port);
    const server = await startBenchServer({
      repoRoot: context.repoRoot,
      databaseUrl: proxied.href,
      port: await findFreePort(),
      logFile: path.join(context.workDir, "edge-server.log"),
    });
    stops.push(server.stop);
    return { baseUrl: server.baseUrl, path: "dist/server.js (pg Pool) → delay proxy → Postgres", stop: () => stopAll(stops) };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

/** The Worker bundle as `wrangler deploy` would upload it, built once per run. */
async function buildWorkerBundle(context: Context): Promise<string> {
  const outdir = path.join(context.workDir, "edge-worker");
  await run(path.join(context.repoRoot, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
    cwd: context.repoRoot,
    logFile: path.join(context.workDir, "edge-worker-build.log"),
  });
  return outdir;
}

/** Workers: the local `/sql` endpoint (Neon's sits next to the database, so the delay goes before it). */
async function startWorkersOn(context: Context, host: "workerd" | "wrangler-dev"): Promise<RunningEntry> {
  const stops: (() => Promise<void>)[] = [];
  try {
    const endpoint = await startSqlOverHttpEndpoint({ log: context.log });
    stops.push(endpoint.close);
    const proxy = await delayedTo(new URL(endpoint.url), context.options.rttMs, context.log);
    stops.push(proxy.close);
    const proxied = new URL(endpoint.url);
    proxied.port = String(proxy.port);
    // DATABASE_URL names the real Postgres: the endpoint connects to the host its connection string names.
    const vars = { DATABASE_URL: context.database.url, NEON_HTTP_ENDPOINT: proxied.href, LOG_LEVEL: "warn" };
    const port = await findFreePort();
    const worker =
      host === "workerd"
        ? await startWorkerd({
            repoRoot: context.repoRoot,
            bundleDir: await buildWorkerBundle(context),
            port,
            vars: { ...vars, ENVIRONMENT: "production", JWT_SECRET: randomBytes(32).toString("hex") },
            logFile: path.join(context.workDir, "edge-workerd.log"),
          })
        : await startWranglerDev({ repoRoot: context.repoRoot, port, vars, logFile: path.join(context.workDir, "edge-wrangler-dev.log") });
    stops.push(worker.stop);
    const runtime = host === "workerd" ? "workerd (the deployed bundle)" : "wrangler dev";
    return {
      baseUrl: worker.baseUrl,
      path: `${runtime}, neon() over HTTP → delay proxy → SQL-over-HTTP endpoint → Postgres`,
      stop: () => stopAll(stops),
    };
  } catch (error) {
    await stopAll(stops);
    throw error;
  }
}

const START: Record<EdgeEntry, (context: Context) => Promise<RunningEntry>> = {
  node: startNode,
  workers: (context) => startWorkersOn(context, "workerd"),
  "wrangler-dev": (context) => startWorkersOn(context, "wrangler-dev"),
};

async function measureEntry(context: Context, entry: EdgeEntry, runNonce: string): Promise<EdgeEntryResult> {
  context.log(`bench: edge, ${entry}: starting`);
  const running = await START[entry](context);
  let run: EdgeRun;
  try {
    const users = context.database.users;
    const tokens: EdgeTokens = {
      viewer: await fetchToken(running.baseUrl, users.viewer),
      editor: await fetchToken(running.baseUrl, users.editor),
      admin: await fetchToken(running.baseUrl, users.admin),
    };
    const { warmup, requests } = context.options;
    context.log(`bench: edge, ${entry}: ${warmup} warm-up and ${requests} measured requests per operation, one at a time`);
    const started = performance.now();
    run = await runEdgeCycles({
      baseUrl: running.baseUrl,
      tokens,
      ids: context.database.productIds,
      skuPrefix: `edge-${runNonce}-${entry}`,
      warmup,
      requests,
      log: context.log,
    });
    context.log(`bench: edge, ${entry}: done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await running.stop();
  }
  const rows = EDGE_OPERATIONS.map((operation) => summariseOperation(operation, run.samplesMs[operation], context.options.rttMs));
  return { entry, path: running.path, rows, errors: run.errors, connections: run.connections, targets: evaluateEdgeTargets(entry, rows) };
}

/** The edge mode of scripts/bench.ts; returns the exit code. */
export async function runEdgeBench(argv: readonly string[], repoRoot: string, workDir: string): Promise<number> {
  const options = parseEdgeOptions(argv);
  const log = (line: string) => console.error(line);
  await mkdir(workDir, { recursive: true });
  if (options.entries.includes("node")) await buildNode();
  const database = await prepareBenchDatabase({ serverUrl: process.env.DATABASE_URL || undefined, products: PRODUCTS, log });
  const results: EdgeEntryResult[] = [];
  try {
    const context: Context = { repoRoot, workDir, options, database, log };
    const runNonce = Date.now().toString(36);
    for (const entry of options.entries) results.push(await measureEntry(context, entry, runNonce));
  } finally {
    await database.close();
  }

  const report = {
    startedAt: new Date().toISOString(),
    machine: describeMachine(),
    rttMs: options.rttMs,
    requestsPerOperation: options.requests,
    warmupPerOperation: options.warmup,
    database: database.description.replace(/ \(pid \d+\)/, ""),
    entries: results,
  };
  await writeFile(path.join(workDir, "edge-results.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(results.map((result) => formatEdgeEntry(result, options.rttMs)).join("\n\n"));
  console.log("\np50 ÷ RTT: round trips of the injected delay per request; nearest-rank percentiles. (.bench/edge-results.json)");
  const failed = results.some((result) => result.errors > 0);
  if (failed) console.error("bench: some requests failed: the numbers above are not valid (see .bench/edge-*.log)");
  return failed || results.some((result) => result.targets.some((target) => !target.met)) ? 1 : 0;
}
