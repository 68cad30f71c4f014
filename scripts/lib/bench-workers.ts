/**
 * The Workers side of `npm run bench`:
 *  - bundle size: `wrangler deploy --dry-run --outdir`, gzipped as `npm run check:bundle` does;
 *  - module start-up: `wrangler check startup` on the same bundle. It evaluates the
 *    Worker's global scope in a local workerd with the V8 profiler on; we report the
 *    active (non-idle) CPU time of that phase, median of three runs. This is the
 *    figure Cloudflare's own tooling offers for "Worker startup time" (parse, compile
 *    and run the top level), measured in the real runtime; the profiler adds some
 *    overhead, so it errs on the high side. (Timing it from inside the Worker is
 *    impossible: workerd's clock does not advance during synchronous code.);
 *  - requests/s and p99 of GET by id through `wrangler dev` (workerd + the Neon
 *    driver over HTTP, to the local `/sql` endpoint over the same Postgres).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { measureBundle } from "../check-bundle-size";
import type { LoadGenerator, LoadResult } from "./bench-load";
import { median } from "./bench-report";
import { fetchToken, waitForHealth } from "./bench-server";
import { workerCompatibility } from "./bench-workerd";
import { startSqlOverHttpEndpoint } from "./sql-over-http";

export interface WorkerBundleFigures {
  rawBytes: number;
  gzipBytes: number;
  /** Active CPU ms of the start-up phase in each `wrangler check startup` run. */
  startupRunsMs: number[];
  startupMs: number;
  /**
   * The same measurement of reference Workers (scripts/bench-fixtures): an empty one, one that
   * only loads the database driver, and one that loads every library the service uses.
   */
  references: { emptyMs: number; databaseDriverMs: number; librariesMs: number };
}

export function run(command: string, args: string[], options: { cwd: string; logFile: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = openSync(options.logFile, "a");
    const child = spawn(command, args, { cwd: options.cwd, stdio: ["ignore", log, log], env: process.env });
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}: see ${options.logFile}`)),
    );
  });
}

interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string } }[];
  samples?: number[];
  timeDeltas?: number[];
}

/** Sampled time that was not idle, in ms (what `wrangler check startup` prints as "Active"). */
export function activeMs(profile: CpuProfile): number {
  const names = new Map(profile.nodes.map((node) => [node.id, node.callFrame.functionName]));
  const samples = profile.samples ?? [];
  let active = 0;
  for (const [index, delta] of (profile.timeDeltas ?? []).entries()) {
    if (names.get(samples[index] ?? -1) !== "(idle)") active += delta;
  }
  return active / 1000;
}

/** Active start-up ms of a bundle, once per run. */
async function startupRuns(wrangler: string, bundle: string, runs: number, options: { cwd: string; workDir: string; logFile: string }) {
  const results: number[] = [];
  for (let i = 0; i < runs; i++) {
    const outfile = path.join(options.workDir, `${path.basename(bundle)}-startup-${i + 1}.cpuprofile`);
    await run(wrangler, ["check", "startup", "--worker", bundle, "--outfile", outfile], options);
    results.push(activeMs(JSON.parse(await readFile(outfile, "utf8")) as CpuProfile));
  }
  return results;
}

/** Builds a reference Worker with the service's compatibility date and flags, but none of its code or bindings. */
async function buildReference(wrangler: string, entry: string, options: { cwd: string; workDir: string; logFile: string }) {
  const { date, flags } = await workerCompatibility(options.cwd);
  const name = path.basename(entry, ".worker.ts");
  const bundle = path.join(options.workDir, `reference-${name}.bundle`);
  const args = ["deploy", "--dry-run", "--config", "/dev/null", "--name", `bench-${name}`, "--compatibility-date", date, "--minify"];
  for (const flag of flags) args.push("--compatibility-flags", flag);
  await run(wrangler, [...args, "--outdir", path.join(options.workDir, `reference-${name}`), "--outfile", bundle, entry], options);
  return bundle;
}

export async function measureWorkerBundle(repoRoot: string, workDir: string, runs = 5): Promise<WorkerBundleFigures> {
  const wrangler = path.join(repoRoot, "node_modules", ".bin", "wrangler");
  const logFile = path.join(workDir, "wrangler-build.log");
  const outdir = path.join(workDir, "worker");
  const bundle = path.join(workDir, "worker.bundle");
  const options = { cwd: repoRoot, workDir, logFile };
  await run(wrangler, ["deploy", "--dry-run", "--outdir", outdir, "--outfile", bundle], options);
  const size = await measureBundle(outdir);
  const fixtures = path.join(repoRoot, "scripts", "bench-fixtures");
  const empty = await buildReference(wrangler, path.join(fixtures, "empty.worker.ts"), options);
  const driver = await buildReference(wrangler, path.join(fixtures, "database-driver.worker.ts"), options);
  const libraries = await buildReference(wrangler, path.join(fixtures, "libraries.worker.ts"), options);
  const startupRunsMs = await startupRuns(wrangler, bundle, runs, options);
  return {
    rawBytes: size.rawBytes,
    gzipBytes: size.gzipBytes,
    startupRunsMs,
    startupMs: median(startupRunsMs),
    references: {
      emptyMs: median(await startupRuns(wrangler, empty, runs, options)),
      databaseDriverMs: median(await startupRuns(wrangler, driver, runs, options)),
      librariesMs: median(await startupRuns(wrangler, libraries, runs, options)),
    },
  };
}

export interface WranglerDevOptions {
  repoRoot: string;
  workDir: string;
  databaseUrl: string;
  port: number;
  viewer: { email: string; password: string };
  ids: readonly string[];
  generator: LoadGenerator;
  durationSeconds: number;
  warmupSeconds: number;
  connections: number;
  log: (line: string) => void;
}

export interface WranglerDev {
  baseUrl: string;
  /** SIGTERM to its process group (wrangler and the workerd it starts), SIGKILL after 10 s. */
  stop(): Promise<void>;
}

/** `wrangler dev` on 127.0.0.1 with these vars (besides wrangler.toml's), once it answers /health. */
export async function startWranglerDev(options: {
  repoRoot: string;
  port: number;
  vars: Record<string, string>;
  logFile: string;
  /** wrangler's own log level (default: wrangler's, `info`, which logs every request). */
  logLevel?: "info" | "warn";
}): Promise<WranglerDev> {
  const log = openSync(options.logFile, "w");
  const wrangler = path.join(options.repoRoot, "node_modules", ".bin", "wrangler");
  // wrangler splits --var on the first ":" only, so URLs pass through intact.
  const args = ["dev", "--port", String(options.port), "--ip", "127.0.0.1", "--show-interactive-dev-session=false"];
  if (options.logLevel) args.push(`--log-level=${options.logLevel}`);
  // wrangler.toml's top level names no ENVIRONMENT (a deploy without --env must not run); a caller's wins.
  const vars = Object.entries({ ENVIRONMENT: "development", ...options.vars }).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  // Its own process group, so that stopping it also stops the workerd it starts.
  const child = spawn(wrangler, [...args, ...vars], {
    cwd: options.repoRoot,
    stdio: ["ignore", log, log],
    detached: true,
    env: process.env,
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    const signalGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // already gone
      }
    };
    if (child.exitCode === null && child.signalCode === null) {
      signalGroup("SIGTERM");
      const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
  };
  const baseUrl = `http://127.0.0.1:${options.port}`;
  try {
    await waitForHealth(baseUrl, child, 60_000, "wrangler dev");
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, stop };
}

/** GET by id through `wrangler dev`: the Workers runtime locally, each statement one HTTP request to the local `/sql` endpoint (as deployed, to Neon's). */
export async function measureWranglerDev(options: WranglerDevOptions): Promise<LoadResult> {
  const endpoint = await startSqlOverHttpEndpoint();
  try {
    const dev = await startWranglerDev({
      repoRoot: options.repoRoot,
      port: options.port,
      vars: { DATABASE_URL: options.databaseUrl, NEON_HTTP_ENDPOINT: endpoint.url, LOG_LEVEL: "warn" },
      logFile: path.join(options.workDir, "wrangler-dev.log"),
      // Without its line per request, written to a log file nobody reads here: that line alone
      // cost about a quarter of the throughput on the bench machine (200–230 against 270–285 req/s).
      logLevel: "warn",
    });
    try {
      const token = await fetchToken(dev.baseUrl, options.viewer);
      const load = {
        baseUrl: dev.baseUrl,
        scenario: "get" as const,
        token,
        ids: options.ids,
        skuPrefix: "workers",
        connections: options.connections,
        workDir: options.workDir,
      };
      await options.generator.run({ ...load, durationSeconds: options.warmupSeconds });
      return await options.generator.run({ ...load, durationSeconds: options.durationSeconds });
    } finally {
      await dev.stop();
    }
  } finally {
    await endpoint.close();
  }
}
