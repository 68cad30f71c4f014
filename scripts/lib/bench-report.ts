/** The table `npm run bench` prints, the targets of issue 7, and the JSON written next to them. */
import type { Scenario } from "./bench-load";

/** One endpoint measured once, in one round. */
export interface RoundResult {
  round: number;
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
  errors: number;
}

/** An endpoint over all rounds: medians, and its ratios to the floor of the same round. */
export interface PhaseResult extends Omit<RoundResult, "round"> {
  endpoint: string;
  /** requests/s of each round. */
  roundsRequestsPerSecond: number[];
  /** Median over rounds of (requests/s ÷ the floor's requests/s in that round). */
  ratioToFloor: number;
  /** Median over rounds of (server CPU per request ÷ the floor's in that round): what the endpoint adds to the server's own work. */
  cpuRatioToFloor: number;
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
  /** Medians of the same measurement for an empty Worker and one that only loads the Neon driver and Drizzle. */
  startupReferences: { emptyMs: number; databaseDriverMs: number; librariesMs: number };
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
  rounds: number;
  pinning: string;
  database: string;
  node: PhaseResult[];
  rss?: RssRun;
  workers?: WorkersResult;
  targets: Target[];
}

const fixed = (value: number, digits: number) => value.toFixed(digits);

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] ?? Number.NaN) : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
}

/**
 * One row per endpoint from its rounds. Medians, because a shared machine slows
 * a phase now and then; ratios within a round, because it drifts between rounds.
 * Latencies and RSS are the median-throughput round's own.
 */
export function summarise(rounds: RoundResult[], endpoints: Record<Scenario, string>): PhaseResult[] {
  const floorOf = new Map(rounds.filter((row) => row.scenario === "floor").map((row) => [row.round, row]));
  const scenarios = [...new Set(rounds.map((row) => row.scenario))];
  return scenarios.map((scenario) => {
    const own = rounds.filter((row) => row.scenario === scenario);
    const rps = median(own.map((row) => row.requestsPerSecond));
    const typical = own.reduce((best, row) =>
      Math.abs(row.requestsPerSecond - rps) < Math.abs(best.requestsPerSecond - rps) ? row : best,
    );
    const versusFloor = (read: (row: RoundResult) => number) =>
      median(
        own.flatMap((row) => {
          const floor = floorOf.get(row.round);
          return floor ? [read(row) / read(floor)] : [];
        }),
      );
    return {
      endpoint: endpoints[scenario],
      scenario,
      requests: own.reduce((sum, row) => sum + row.requests, 0),
      requestsPerSecond: rps,
      roundsRequestsPerSecond: own.map((row) => row.requestsPerSecond),
      p50Ms: typical.p50Ms,
      p99Ms: typical.p99Ms,
      cpuMsPerRequest: median(own.map((row) => row.cpuMsPerRequest)),
      systemCpuMsPerRequest: median(own.map((row) => row.systemCpuMsPerRequest)),
      databaseCpuMsPerRequest: median(own.map((row) => row.databaseCpuMsPerRequest)),
      rssMb: typical.rssMb,
      errors: own.reduce((sum, row) => sum + row.errors, 0),
      ratioToFloor: versusFloor((row) => row.requestsPerSecond),
      cpuRatioToFloor: versusFloor((row) => row.cpuMsPerRequest),
    };
  });
}

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

/** Columns padded to their widest cell, under a header and a rule. */
export function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
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
      `${results.rounds} rounds of ${results.phaseSeconds} s per endpoint after ${results.warmupSeconds} s warm-up · ${results.pinning} · ` +
      `${machine.cpus} × ${machine.cpuModel} · Node ${machine.node}`,
  );
  out.push("");
  out.push(
    table(
      ["endpoint", "req/s", "× floor", "p50 ms", "p99 ms", "CPU ms/req", "CPU × floor", "RSS MB", "errors", "Postgres CPU ms/req"],
      results.node.map((row) => [
        row.endpoint,
        fixed(row.requestsPerSecond, 0),
        fixed(row.ratioToFloor, 2),
        fixed(row.p50Ms, 2),
        fixed(row.p99Ms, 2),
        fixed(row.cpuMsPerRequest, 3),
        fixed(row.cpuRatioToFloor, 2),
        fixed(row.rssMb, 1),
        String(row.errors),
        Number.isNaN(row.databaseCpuMsPerRequest) ? "—" : fixed(row.databaseCpuMsPerRequest, 3),
      ]),
      [false, true, true, true, true, true, true, true, true, true],
    ),
  );
  out.push("medians over rounds; × floor = requests/s (or server CPU per request) over the floor's in the same round, median over rounds");
  for (const row of results.node)
    out.push(`  ${row.endpoint}: ${row.roundsRequestsPerSecond.map((rps) => fixed(rps, 0)).join(", ")} req/s`);
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
    out.push(
      `         for scale, measured the same way: an empty Worker ${fixed(w.startupReferences.emptyMs, 1)} ms; ` +
        `one that only loads the Neon driver and Drizzle ${fixed(w.startupReferences.databaseDriverMs, 1)} ms; ` +
        `one that loads all the libraries the Worker uses and builds nothing ${fixed(w.startupReferences.librariesMs, 1)} ms`,
    );
    if (w.wranglerDev) {
      out.push(
        `         wrangler dev ${w.wranglerDev.endpoint}: ${fixed(w.wranglerDev.requestsPerSecond, 0)} req/s, p50 ${fixed(w.wranglerDev.p50Ms, 2)} ms, ` +
          `p99 ${fixed(w.wranglerDev.p99Ms, 2)} ms, ${w.wranglerDev.errors} errors (each statement one HTTP request to the local /sql endpoint, as deployed to Neon's; wrangler at --log-level=warn)`,
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
