/** The table `npm run bench` prints, the targets of issue 7, and the JSON written next to them. */
import type { Scenario } from "./bench-load";

export interface PhaseResult {
  endpoint: string;
  scenario: Scenario;
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Server CPU (user + system, all threads) during the phase, divided by the requests answered. */
  cpuMsPerRequest: number;
  /** The kernel's share of `cpuMsPerRequest` (NaN where the platform does not say). */
  systemCpuMsPerRequest: number;
  /** CPU of the embedded Postgres (postmaster and backends) per request; NaN with DATABASE_URL's server. */
  databaseCpuMsPerRequest: number;
  /** Server RSS at the end of the phase. */
  rssMb: number;
  /** requests/s over the floor's (the mean of the floor runs before and after the others). */
  ratioToFloor: number;
  errors: number;
}

export interface RssRun {
  seconds: number;
  samplesMb: number[];
  minMb: number;
  maxMb: number;
  /** Half the range over its midpoint: every sample is within ± this of (min + max) / 2. */
  spreadPercent: number;
}

export interface WorkersResult {
  bundleRawKiB: number;
  bundleGzipKiB: number;
  startupMs: number;
  startupRunsMs: number[];
  wranglerDev?: { endpoint: string; requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number };
}

export interface Target {
  name: string;
  measured: string;
  limit: string;
  /** null: not measured in this run. */
  met: boolean | null;
}

export interface BenchResults {
  startedAt: string;
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  loadGenerator: string;
  connections: number;
  phaseSeconds: number;
  warmupSeconds: number;
  database: string;
  floorRequestsPerSecond: { before: number; after: number; mean: number };
  node: PhaseResult[];
  rss?: RssRun;
  workers?: WorkersResult;
  targets: Target[];
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

export function evaluateTargets(results: Omit<BenchResults, "targets">): Target[] {
  const phase = (scenario: Scenario) => results.node.find((row) => row.scenario === scenario);
  const ratio = (scenario: Scenario, minimum: number, label: string): Target => {
    const row = phase(scenario);
    return {
      name: `${label} requests/s vs floor`,
      measured: row ? `${fixed(row.ratioToFloor, 2)}×` : "—",
      limit: `≥ ${minimum}×`,
      met: row ? row.ratioToFloor >= minimum : null,
    };
  };
  const get = phase("get");
  const targets: Target[] = [
    ratio("get", 0.8, "GET by id"),
    ratio("list", 0.5, "list"),
    ratio("post", 0.7, "POST"),
    ratio("patch", 0.7, "PATCH"),
    {
      name: "server CPU per GET by id",
      measured: get ? `${fixed(get.cpuMsPerRequest, 3)} ms` : "—",
      limit: "≤ 0.15 ms",
      met: get ? get.cpuMsPerRequest <= 0.15 : null,
    },
    {
      name: "RSS over a 60 s GET by id run",
      measured: results.rss
        ? `±${fixed(results.rss.spreadPercent, 1)}% (${fixed(results.rss.minMb, 1)}–${fixed(results.rss.maxMb, 1)} MB)`
        : "not run (--long)",
      limit: "±10%",
      met: results.rss ? results.rss.spreadPercent <= 10 : null,
    },
    {
      name: "worker bundle, gzip",
      measured: results.workers ? `${fixed(results.workers.bundleGzipKiB, 1)} KiB` : "not run",
      limit: "≤ 300 KiB",
      met: results.workers ? results.workers.bundleGzipKiB <= 300 : null,
    },
    {
      name: "worker module start-up",
      measured: results.workers ? `${fixed(results.workers.startupMs, 1)} ms` : "not run",
      limit: "≤ 50 ms",
      met: results.workers ? results.workers.startupMs <= 50 : null,
    },
  ];
  return targets;
}

function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (rightAligned[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join("  ");
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

export function formatReport(results: BenchResults): string {
  const out: string[] = [];
  const { machine } = results;
  out.push(
    `Node server (dist/server.js, production mode) · ${results.database} · ${results.loadGenerator}, ${results.connections} connections, ` +
      `${results.phaseSeconds} s per phase after ${results.warmupSeconds} s warm-up · ${machine.cpus} × ${machine.cpuModel} · Node ${machine.node}`,
  );
  out.push("");
  out.push(
    table(
      ["endpoint", "req/s", "p50 ms", "p99 ms", "CPU ms/req", "RSS MB", "× floor", "errors", "Postgres CPU ms/req"],
      results.node.map((row) => [
        row.endpoint,
        fixed(row.requestsPerSecond, 0),
        fixed(row.p50Ms, 2),
        fixed(row.p99Ms, 2),
        fixed(row.cpuMsPerRequest, 3),
        fixed(row.rssMb, 1),
        fixed(row.ratioToFloor, 2),
        String(row.errors),
        Number.isNaN(row.databaseCpuMsPerRequest) ? "—" : fixed(row.databaseCpuMsPerRequest, 3),
      ]),
      [false, true, true, true, true, true, true, true, true],
    ),
  );
  const floor = results.floorRequestsPerSecond;
  out.push(`floor = mean of the floor runs before (${fixed(floor.before, 0)} req/s) and after (${fixed(floor.after, 0)} req/s) the others`);
  if (results.rss) {
    out.push(
      `RSS during ${results.rss.seconds} s of GET by id, every 5 s: ${results.rss.samplesMb.map((mb) => fixed(mb, 1)).join(", ")} MB ` +
        `(±${fixed(results.rss.spreadPercent, 1)}%)`,
    );
  }
  if (results.workers) {
    const w = results.workers;
    out.push("");
    out.push(
      `Workers: bundle ${fixed(w.bundleRawKiB, 1)} KiB, ${fixed(w.bundleGzipKiB, 1)} KiB gzip · module start-up ${fixed(w.startupMs, 1)} ms ` +
        `(wrangler check startup, active CPU, median of ${w.startupRunsMs.map((ms) => fixed(ms, 1)).join(" / ")})`,
    );
    if (w.wranglerDev) {
      out.push(
        `         wrangler dev ${w.wranglerDev.endpoint}: ${fixed(w.wranglerDev.requestsPerSecond, 0)} req/s, p50 ${fixed(w.wranglerDev.p50Ms, 2)} ms, ` +
          `p99 ${fixed(w.wranglerDev.p99Ms, 2)} ms, ${w.wranglerDev.errors} errors (a Neon pool and connection per request, as deployed)`,
      );
    }
  }
  out.push("");
  out.push(
    table(
      ["target", "measured", "limit", ""],
      results.targets.map((target) => [
        target.name,
        target.measured,
        target.limit,
        target.met === null ? "not measured" : target.met ? "met" : "MISSED",
      ]),
      [false, true, true, false],
    ),
  );
  return out.join("\n");
}
