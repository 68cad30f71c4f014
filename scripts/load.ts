// npm run load [-- --duration 20 --concurrency 16 --requests 200000]
//
// Starts the Node server in this process (the same startServer as production) on
// loopback against a throwaway database, drives a mixed read/write workload at
// it for a bounded time and request count, then checks that the database holds
// exactly what the acknowledged answers say. Exits 1 on any mismatch.
//
// Database: an embedded Postgres of its own, or, when DATABASE_URL is set, a
// throwaway database created next to it on that server (dropped at the end; the
// URL's user needs CREATE DATABASE). DATABASE_URL's own database is never touched.
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { startServer } from "../src/node/start-server";
import { createDatabase, dropDatabase, type RunningPostgres, startEmbeddedPostgres } from "./lib/embedded-postgres";
import { KINDS, quantile, runWorkload, verifyDatabase, type WorkloadResult } from "./lib/load-workload";
import { applyMigrations } from "./lib/migrations";
import { type SeedUser, seedUsers } from "./lib/seed-users";

const { values } = parseArgs({
  options: {
    duration: { type: "string", default: "20" },
    concurrency: { type: "string", default: "16" },
    requests: { type: "string", default: "200000" },
  },
});
const settings = z
  .object({
    duration: z.coerce.number().positive().max(3600),
    concurrency: z.coerce.number().int().min(1).max(512),
    requests: z.coerce.number().int().min(1),
  })
  .safeParse(values);
if (!settings.success) {
  for (const issue of settings.error.issues) console.error(`--${issue.path.join(".")}: ${issue.message}`);
  process.exit(2);
}
const { duration, concurrency, requests } = settings.data;

const users: Record<"viewer" | "editor" | "admin", SeedUser> = {
  viewer: { email: "load-viewer@load.example", password: "load viewer password", role: "viewer" },
  editor: { email: "load-editor@load.example", password: "load editor password", role: "editor" },
  admin: { email: "load-admin@load.example", password: "load admin password", role: "admin" },
};

async function login(origin: string, user: SeedUser): Promise<string> {
  const response = await fetch(`${origin}/api/v1/auth/token`, {
    method: "POST",
    body: new URLSearchParams({ username: user.email, password: user.password }),
  });
  if (response.status !== 200) throw new Error(`login ${user.email}: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

function table(result: WorkloadResult): string {
  const statuses = [...new Set([...result.tallies.values()].flatMap((tally) => [...tally.statuses.keys()]))].sort();
  const header = ["kind", "requests", ...statuses, "p50 ms", "p99 ms"];
  const rows = KINDS.map((kind) => {
    const tally = result.tallies.get(kind);
    const total = [...(tally?.statuses.values() ?? [])].reduce((sum, n) => sum + n, 0);
    return [
      kind,
      String(total),
      ...statuses.map((status) => String(tally?.statuses.get(status) ?? 0)),
      quantile(tally?.latenciesMs ?? [], 0.5).toFixed(1),
      quantile(tally?.latenciesMs ?? [], 0.99).toFixed(1),
    ];
  });
  const all = [...result.tallies.values()].flatMap((tally) => tally.latenciesMs);
  rows.push([
    "all",
    String(result.requests),
    ...statuses.map((status) => String([...result.tallies.values()].reduce((sum, tally) => sum + (tally.statuses.get(status) ?? 0), 0))),
    quantile(all, 0.5).toFixed(1),
    quantile(all, 0.99).toFixed(1),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? "").length)));
  const line = (cells: string[]) =>
    cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ");
  return [line(header), ...rows.map(line)].join("\n");
}

const external = process.env.DATABASE_URL;
const embedded: RunningPostgres | undefined = external
  ? undefined
  : await startEmbeddedPostgres({ dataDir: path.join(os.tmpdir(), `product-service-load-${process.pid}-${Date.now()}`), fast: true });
const adminUrl = external ?? embedded?.adminUrl ?? "";
const name = `load_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
let failed = true;
try {
  const databaseUrl = await createDatabase(adminUrl, name);
  await applyMigrations(databaseUrl);
  await seedUsers(databaseUrl, Object.values(users));
  const warnings = new Map<string, number>();
  const server = await startServer(
    { DATABASE_URL: databaseUrl, ENVIRONMENT: "test", PORT: "0", LOG_LEVEL: "warn", DB_POOL_MAX: String(Math.min(20, concurrency)) },
    {
      sink: (line) => {
        const message = String((JSON.parse(line) as { message?: unknown }).message);
        warnings.set(message, (warnings.get(message) ?? 0) + 1);
      },
    },
  );
  try {
    const origin = `http://127.0.0.1:${server.port}`;
    const [viewer, editor, admin] = await Promise.all([
      login(origin, users.viewer),
      login(origin, users.editor),
      login(origin, users.admin),
    ]);
    const tokens = { viewer, editor, admin };
    const tag = `load${Date.now().toString(36)}`;
    console.log(
      `load: ${duration} s, ${concurrency} concurrent users, at most ${requests} requests, against ${origin} (${external ? "DATABASE_URL's server" : "embedded Postgres"})`,
    );
    const result = await runWorkload({ origin, tokens, durationMs: duration * 1000, concurrency, maxRequests: requests, tag });
    const problems = [...result.mismatches, ...(await verifyDatabase(databaseUrl, tag, result.state))];
    console.log(table(result));
    console.log(
      `${result.requests} requests in ${(result.elapsedMs / 1000).toFixed(1)} s (${((1000 * result.requests) / result.elapsedMs).toFixed(0)}/s); ` +
        `acknowledged: ${result.acknowledged.creates} creates, ${result.acknowledged.patches} patches, ${result.acknowledged.deletes} deletes; ` +
        `unknown outcomes: ${result.unknown}`,
    );
    if (warnings.size > 0) console.log(`server warnings: ${JSON.stringify(Object.fromEntries(warnings))}`);
    console.log(`mismatches: ${problems.length}`);
    for (const problem of problems.slice(0, 20)) console.log(`  ${problem}`);
    failed = problems.length > 0;
  } finally {
    await server.shutdown("load finished");
  }
} finally {
  if (external) await dropDatabase(adminUrl, name).catch((error: unknown) => console.error(`dropping ${name} failed:`, error));
  await embedded?.stop();
}
process.exitCode = failed ? 1 : 0;
