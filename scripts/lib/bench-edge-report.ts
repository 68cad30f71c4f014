/**
 * The pure half of `npm run bench -- --edge`: its options, percentiles, latencies in round
 * trips of the injected delay, the targets, and the table. No I/O, so it is unit-tested.
 */

/** `wrangler-dev`: the Worker through wrangler dev's local pipeline, for comparison only (bench-workerd.ts says why). */
export const EDGE_ENTRIES = ["node", "workers", "wrangler-dev"] as const;
export type EdgeEntry = (typeof EDGE_ENTRIES)[number];

export const EDGE_OPERATIONS = ["health", "ping", "get", "list", "create", "create-idempotent", "patch", "delete"] as const;
export type EdgeOperation = (typeof EDGE_OPERATIONS)[number];

/**
 * GET /health touches no database: what the entry costs locally with no round trip at all
 * (wrangler dev's own pipeline is 8–10 ms on a small machine). Shown to read the other
 * rows by, held to no target.
 */
export const EDGE_FLOOR: EdgeOperation = "health";

export const EDGE_OPERATION_LABELS: Record<EdgeOperation, string> = {
  health: "GET /health (no database: local floor)",
  ping: "GET /api/v1/ping",
  get: "GET /api/v1/products/{id}",
  list: "GET /api/v1/products?limit=20",
  create: "POST /api/v1/products",
  "create-idempotent": "POST /api/v1/products + Idempotency-Key",
  patch: "PATCH /api/v1/products/{id} (name)",
  delete: "DELETE /api/v1/products/{id}",
};

/**
 * Most p50s may reach, in round trips of the injected delay: one round trip to the database
 * per request, plus what the entry itself spends. The Node server keeps its connections
 * open, but node-postgres sends a transaction's statements one by one, hence its margin.
 */
export const EDGE_LIMITS: Record<EdgeEntry, number | undefined> = { workers: 1.5, node: 1.6, "wrangler-dev": undefined };

const ENTRY_TITLES: Record<EdgeEntry, string> = {
  node: "Node",
  workers: "Workers",
  "wrangler-dev": "Workers through wrangler dev (no target)",
};

export interface EdgeOptions {
  rttMs: number;
  /** Measured requests per operation. */
  requests: number;
  /** Requests per operation before measuring (JIT, connections, workerd's first isolate). */
  warmup: number;
  entries: EdgeEntry[];
}

export function parseEdgeOptions(argv: readonly string[]): EdgeOptions {
  const options: EdgeOptions = { rttMs: 20, requests: 60, warmup: 5, entries: ["node", "workers"] };
  const bounded = (value: string, name: string, min: number, max: number) => {
    const number = Number(value);
    if (value === "" || !Number.isInteger(number) || number < min || number > max)
      throw new Error(`--${name} must be an integer ${min}..${max}`);
    return number;
  };
  for (const arg of argv) {
    const [name, value = ""] = arg.replace(/^--/, "").split("=");
    if (name === "edge") continue;
    if (name === "rtt") options.rttMs = bounded(value, name, 1, 1000);
    else if (name === "requests") options.requests = bounded(value, name, 1, 10_000);
    else if (name === "warmup") options.warmup = bounded(value, name, 0, 100);
    else if (name === "entries") {
      options.entries = value.split(",").map((entry) => {
        const known = EDGE_ENTRIES.find((candidate) => candidate === entry);
        if (known === undefined) throw new Error(`--entries takes ${EDGE_ENTRIES.join(", ")}`);
        return known;
      });
    } else throw new Error(`unknown option ${arg} (edge mode takes --rtt=, --requests=, --warmup=, --entries=)`);
  }
  return options;
}

/** Nearest-rank percentile: a latency some request really had, never an interpolation between two. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

export interface EdgeRow {
  operation: EdgeOperation;
  requests: number;
  p50Ms: number;
  p90Ms: number;
  /** p50 ÷ RTT: how many round trips of the injected delay the typical request costs. */
  roundTrips: number;
}

export function summariseOperation(operation: EdgeOperation, samplesMs: readonly number[], rttMs: number): EdgeRow {
  const p50Ms = percentile(samplesMs, 50);
  return { operation, requests: samplesMs.length, p50Ms, p90Ms: percentile(samplesMs, 90), roundTrips: p50Ms / rttMs };
}

export interface EdgeTarget {
  entry: EdgeEntry;
  operation: EdgeOperation;
  roundTrips: number;
  limit: number;
  met: boolean;
}

/** One target per operation but the floor: p50 ≤ limit × RTT (none for a comparison-only entry). An operation without samples (all failed) misses it. */
export function evaluateEdgeTargets(entry: EdgeEntry, rows: readonly EdgeRow[]): EdgeTarget[] {
  const limit = EDGE_LIMITS[entry];
  if (limit === undefined) return [];
  return rows
    .filter((row) => row.operation !== EDGE_FLOOR)
    .map((row) => ({ entry, operation: row.operation, roundTrips: row.roundTrips, limit, met: row.roundTrips <= limit }));
}

export interface EdgeEntryResult {
  entry: EdgeEntry;
  /** What sat where, e.g. "dist/server.js → delay proxy → Postgres". */
  path: string;
  rows: EdgeRow[];
  /** Requests answered with an unexpected status or failed on the socket (not in the samples). */
  errors: number;
  /** TCP connections the client opened for the measured requests (1 when keep-alive held). */
  connections: number;
  targets: EdgeTarget[];
}

function table(header: string[], rows: string[][], rightAligned: boolean[]): string {
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (rightAligned[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((width) => "-".repeat(width)).join("  "), ...rows.map(line)].join("\n");
}

export function formatEdgeEntry(result: EdgeEntryResult, rttMs: number): string {
  const verdict = new Map(result.targets.map((target) => [target.operation, target]));
  const rows = result.rows.map((row) => {
    const target = verdict.get(row.operation);
    return [
      EDGE_OPERATION_LABELS[row.operation],
      String(row.requests),
      row.p50Ms.toFixed(1),
      row.p90Ms.toFixed(1),
      row.roundTrips.toFixed(2),
      target ? `${target.met ? "met" : "MISSED"} (≤ ${target.limit})` : "none",
    ];
  });
  return [
    `${ENTRY_TITLES[result.entry]}: ${result.path} · RTT ${rttMs} ms · ${result.connections} client connection(s) · ${result.errors} errors`,
    table(["operation", "n", "p50 ms", "p90 ms", "p50 ÷ RTT", "target"], rows, [false, true, true, true, true, false]),
  ].join("\n");
}
