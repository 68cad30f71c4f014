/**
 * npm run bench [-- --long] [--rounds=3] [--duration=6] [--warmup=2] [--connections=16] [--no-pin] [--skip-workers] [--cpu-prof] [--only=get,post]
 *
 * Node: builds dist/server.js (`npm run build:node`'s function), starts it as a child
 * process in production mode against a throwaway database (embedded Postgres, or a new
 * database on DATABASE_URL's server) seeded with 10,000 products and a user per role,
 * logs in once per role through POST /api/v1/auth/token, and loads it on loopback with
 * wrk (or autocannon): the floor (GET /api/v1/ping: token check + one `SELECT 1`), GET by
 * id, list, POST and PATCH, in rounds (each endpoint once per round; medians are
 * reported, and each ratio to the floor is taken within its round). Server CPU and RSS
 * come from the kernel's accounting of the server process (scripts/lib/bench-process.ts).
 * The server gets a CPU of its own where it can (scripts/lib/bench-pinning.ts).
 * Workers: bundle size, module start-up and GET by id through `wrangler dev`.
 *
 * Prints one table and the targets of issue 7; writes the same to .bench/bench-results.json.
 * Exits 1 when a measured target is missed. `--long` adds the 60 s RSS run; `--cpu-prof`
 * writes the server's V8 profile to .bench/profile/ (profiling slows it: not for numbers).
 *
 * `--edge [--rtt=20] [--requests=60]`: another benchmark, of latency rather than throughput:
 * each entry with the database a round trip away (scripts/lib/bench-edge.ts says how).
 *
 * `--auth [--requests=500] [--no-pin]`: server CPU time and latency of a password login, a token
 * refresh and a revoke, one request at a time, beside the floor (scripts/lib/bench-auth.ts).
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { buildNode } from "./build-node";
import { runAuthBench } from "./lib/bench-auth";
import { prepareBenchDatabase } from "./lib/bench-database";
import { runEdgeBench } from "./lib/bench-edge";
import { chooseLoadGenerator, type LoadOptions, SCENARIOS, type Scenario } from "./lib/bench-load";
import { describeMachine } from "./lib/bench-machine";
import { choosePinning } from "./lib/bench-pinning";
import { sampleProcess, sampleTreeCpuMs } from "./lib/bench-process";
import {
  type BenchResults,
  evaluateTargets,
  formatReport,
  type RoundResult,
  type RssRun,
  summarise,
  type WorkersResult,
} from "./lib/bench-report";
import { fetchToken, startBenchServer } from "./lib/bench-server";
import { measureWorkerBundle, measureWranglerDev } from "./lib/bench-workers";
import { findFreePort } from "./lib/embedded-postgres";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const WORK_DIR = path.join(REPO_ROOT, ".bench");
const PRODUCTS = 10_000;
const RSS_RUN_SECONDS = 60;
const RSS_SAMPLE_SECONDS = 5;
const JIT_WARMUP_SECONDS = 4;

interface Options {
  long: boolean;
  rounds: number;
  pin: boolean;
  phaseSeconds: number;
  warmupSeconds: number;
  connections: number;
  skipWorkers: boolean;
  cpuProf: boolean;
  /** Phases to run besides the floor (all by default); for profiling one endpoint. */
  only: Scenario[] | undefined;
  /** The login and refresh costs instead of throughput (scripts/lib/bench-auth.ts). */
  auth: boolean;
  /** Measured requests per operation in the auth mode. */
  requests: number | undefined;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    long: false,
    rounds: 3,
    pin: true,
    phaseSeconds: 6,
    warmupSeconds: 2,
    connections: 16,
    skipWorkers: false,
    cpuProf: false,
    only: undefined,
    auth: false,
    requests: undefined,
  };
  const bounded = (value: string, name: string, min: number, max: number) => {
    const number = Number(value);
    if (!Number.isInteger(number) || number < min || number > max) throw new Error(`--${name} must be an integer ${min}..${max}`);
    return number;
  };
  for (const arg of argv) {
    const [name, value = ""] = arg.replace(/^--/, "").split("=");
    if (name === "long") options.long = true;
    else if (name === "skip-workers") options.skipWorkers = true;
    else if (name === "no-pin") options.pin = false;
    else if (name === "rounds") options.rounds = bounded(value, name, 1, 20);
    else if (name === "cpu-prof") options.cpuProf = true;
    else if (name === "only") options.only = value.split(",").map((scenario) => toScenario(scenario));
    else if (name === "duration") options.phaseSeconds = bounded(value, name, 1, 120);
    else if (name === "warmup") options.warmupSeconds = bounded(value, name, 0, 60);
    else if (name === "connections") options.connections = bounded(value, name, 1, 256);
    else if (name === "auth") options.auth = true;
    else if (name === "requests") options.requests = bounded(value, name, 1, 10_000);
    else throw new Error(`unknown option ${arg}`);
  }
  if (options.requests !== undefined && !options.auth) throw new Error("--requests goes with --auth (or --edge)");
  return options;
}

function toScenario(value: string): Scenario {
  const scenario = SCENARIOS.find((known) => known === value);
  if (scenario === undefined) throw new Error(`--only takes ${SCENARIOS.join(", ")}`);
  return scenario;
}

const ENDPOINTS: Record<Scenario, string> = {
  floor: "GET /api/v1/ping (floor)",
  get: "GET /api/v1/products/{id}",
  list: "GET /api/v1/products?limit=20&currency&minPrice&sort",
  post: "POST /api/v1/products",
  patch: "PATCH /api/v1/products/{id}",
};

const log = (line: string) => console.error(line);
const mb = (bytes: number) => bytes / (1024 * 1024);

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  if (argv.includes("--edge")) return runEdgeBench(argv, REPO_ROOT, WORK_DIR);
  const options = parseOptions(argv);
  if (options.auth) return runAuthBench({ requests: options.requests ?? 500, pin: options.pin }, REPO_ROOT, WORK_DIR);
  const generator = chooseLoadGenerator();
  await mkdir(WORK_DIR, { recursive: true });
  const profileDir = path.join(WORK_DIR, "profile");
  if (options.cpuProf) await rm(profileDir, { recursive: true, force: true });

  const built = await buildNode();
  log(
    `bench: built ${Object.keys(built.files)
      .filter((file) => file.endsWith(".js"))
      .join(", ")}; load generator: ${generator.name}`,
  );

  const database = await prepareBenchDatabase({ serverUrl: process.env.DATABASE_URL || undefined, products: PRODUCTS, log });
  try {
    const server = await startBenchServer({
      repoRoot: REPO_ROOT,
      databaseUrl: database.url,
      port: await findFreePort(),
      logFile: path.join(WORK_DIR, "server.log"),
      cpuProfileDir: options.cpuProf ? profileDir : undefined,
    });
    const roundResults: RoundResult[] = [];
    let rss: RssRun | undefined;
    const pinning = choosePinning(options.pin);
    if (database.postgresPid !== undefined) pinning.others(database.postgresPid);
    pinning.generator(process.pid);
    pinning.server(server.pid);
    log(`bench: ${pinning.description}`);
    try {
      const tokens = {
        viewer: await fetchToken(server.baseUrl, database.users.viewer),
        editor: await fetchToken(server.baseUrl, database.users.editor),
      };
      const runNonce = Date.now().toString(36);
      const loadFor = (scenario: Scenario, tag: string): Omit<LoadOptions, "durationSeconds"> => ({
        baseUrl: server.baseUrl,
        scenario,
        token: scenario === "post" || scenario === "patch" ? tokens.editor : tokens.viewer,
        ids: database.productIds,
        skuPrefix: `bench-${runNonce}-${tag}`,
        connections: options.connections,
        workDir: WORK_DIR,
      });

      const measured = (["get", "list", "post", "patch"] as const).filter((scenario) => options.only?.includes(scenario) ?? true);
      // Every code path first gets JIT-compiled (a cold server answers the first seconds several times slower),
      // so the floor measured first is as warm as the phases after it.
      log(`bench: warming up (${JIT_WARMUP_SECONDS} s per endpoint)`);
      for (const scenario of ["floor", ...measured] as const) {
        await generator.run({ ...loadFor(scenario, `jit-${scenario}`), durationSeconds: JIT_WARMUP_SECONDS });
      }
      for (let round = 0; round < options.rounds; round++) {
        for (const scenario of ["floor", ...measured] as const) {
          const tag = `r${round}-${scenario}`;
          if (options.warmupSeconds > 0) await generator.run({ ...loadFor(scenario, `w-${tag}`), durationSeconds: options.warmupSeconds });
          const databaseCpu = () => (database.postgresPid === undefined ? Number.NaN : sampleTreeCpuMs(database.postgresPid));
          const [before, databaseBefore] = [sampleProcess(server.pid), databaseCpu()];
          const result = await generator.run({ ...loadFor(scenario, `m-${tag}`), durationSeconds: options.phaseSeconds });
          const [after, databaseAfter] = [sampleProcess(server.pid), databaseCpu()];
          const phase: RoundResult = {
            round,
            scenario,
            requests: result.requests,
            requestsPerSecond: result.requestsPerSecond,
            p50Ms: result.p50Ms,
            p99Ms: result.p99Ms,
            cpuMsPerRequest: (after.cpuMs - before.cpuMs) / Math.max(1, result.requests),
            systemCpuMsPerRequest: (after.systemMs - before.systemMs) / Math.max(1, result.requests),
            databaseCpuMsPerRequest: (databaseAfter - databaseBefore) / Math.max(1, result.requests),
            rssMb: mb(after.rssBytes),
            errors: result.errors,
          };
          roundResults.push(phase);
          log(
            `bench: round ${round + 1}/${options.rounds} ${ENDPOINTS[scenario]}: ${phase.requestsPerSecond.toFixed(0)} req/s, ` +
              `p99 ${phase.p99Ms.toFixed(2)} ms, CPU ${phase.cpuMsPerRequest.toFixed(3)} ms/req (system ${phase.systemCpuMsPerRequest.toFixed(3)}), ` +
              `Postgres ${phase.databaseCpuMsPerRequest.toFixed(3)} ms/req, ${phase.errors} errors`,
          );
        }
      }

      if (options.long) {
        log(`bench: RSS run, ${RSS_RUN_SECONDS} s of GET by id`);
        const samples = [mb(sampleProcess(server.pid).rssBytes)];
        const timer = setInterval(() => samples.push(mb(sampleProcess(server.pid).rssBytes)), RSS_SAMPLE_SECONDS * 1000);
        await generator.run({ ...loadFor("get", "rss"), durationSeconds: RSS_RUN_SECONDS });
        clearInterval(timer);
        const minMb = Math.min(...samples);
        const maxMb = Math.max(...samples);
        rss = { seconds: RSS_RUN_SECONDS, samplesMb: samples, minMb, maxMb, spreadPercent: ((maxMb - minMb) / (maxMb + minMb)) * 100 };
      }
    } finally {
      await server.stop();
    }

    const phases = summarise(roundResults, ENDPOINTS);
    pinning.release(process.pid);

    let workers: WorkersResult | undefined;
    if (!options.skipWorkers) {
      log("bench: Workers bundle and start-up (wrangler deploy --dry-run, wrangler check startup)");
      const bundle = await measureWorkerBundle(REPO_ROOT, WORK_DIR);
      log("bench: GET by id through wrangler dev");
      const dev = await measureWranglerDev({
        repoRoot: REPO_ROOT,
        workDir: WORK_DIR,
        databaseUrl: database.url,
        port: await findFreePort(),
        viewer: database.users.viewer,
        ids: database.productIds,
        generator,
        durationSeconds: options.phaseSeconds,
        warmupSeconds: options.warmupSeconds,
        connections: Math.min(options.connections, 8),
        log,
      });
      workers = {
        bundleRawKiB: bundle.rawBytes / 1024,
        bundleGzipKiB: bundle.gzipBytes / 1024,
        startupMs: bundle.startupMs,
        startupRunsMs: bundle.startupRunsMs,
        startupReferences: bundle.references,
        wranglerDev: {
          endpoint: ENDPOINTS.get,
          requestsPerSecond: dev.requestsPerSecond,
          p50Ms: dev.p50Ms,
          p99Ms: dev.p99Ms,
          errors: dev.errors,
        },
      };
    }

    const partial = {
      startedAt: new Date().toISOString(),
      machine: describeMachine(),
      loadGenerator: generator.name,
      connections: options.connections,
      phaseSeconds: options.phaseSeconds,
      warmupSeconds: options.warmupSeconds,
      rounds: options.rounds,
      pinning: pinning.description,
      database: database.description.replace(/ \(pid \d+\)/, ""),
      node: phases,
      ...(rss ? { rss } : {}),
      ...(workers ? { workers } : {}),
    };
    const results: BenchResults = { ...partial, targets: evaluateTargets(partial) };
    await writeFile(path.join(WORK_DIR, "bench-results.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(formatReport(results));
    console.log(`\n(.bench/bench-results.json; server log .bench/server.log${options.cpuProf ? "; profile in .bench/profile/" : ""})`);
    const failed = results.node.some((phase) => phase.errors > 0) || (workers?.wranglerDev?.errors ?? 0) > 0;
    if (failed) console.error("bench: some requests failed: the numbers above are not valid (see .bench/server.log)");
    return failed || results.targets.some((target) => target.met === false) ? 1 : 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error("bench:", error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(2);
  },
);
