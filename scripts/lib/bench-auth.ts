/**
 * `npm run bench -- --auth [--requests=500] [--no-pin]`
 *
 * What signing in costs the Node server: its CPU time per request (the kernel's accounting of
 * the server process, scripts/lib/bench-process.ts) and the latency of a password login, a
 * refresh and a revoke, beside the floor (GET /api/v1/ping with a bearer token). The server,
 * database and pinning are the throughput mode's (scripts/bench.ts); requests go one at a time
 * over one keep-alive connection, so each costs only itself (and the password-hashing cap never
 * applies). Refreshes form one chain, each presenting the token the previous answer returned
 * (they rotate); each measured revoke ends the live family of one earlier login. A request
 * answered with anything but 200 stops the run. Prints one table; writes .bench/auth-results.json.
 */
import { randomBytes } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { buildNode } from "../build-node";
import { prepareBenchDatabase } from "./bench-database";
import { percentile } from "./bench-edge-report";
import { describeMachine } from "./bench-machine";
import { choosePinning } from "./bench-pinning";
import { sampleProcess, sampleTreeCpuMs } from "./bench-process";
import { table } from "./bench-report";
import { startBenchServer } from "./bench-server";
import { findFreePort } from "./embedded-postgres";
import type { SeedUser } from "./seed-users";

const OPERATIONS = ["floor", "login", "refresh", "revoke"] as const;
type AuthOperation = (typeof OPERATIONS)[number];

const LABELS: Record<AuthOperation, string> = {
  floor: "GET /api/v1/ping (floor)",
  login: "POST /api/v1/auth/token, grant_type=password",
  refresh: "POST /api/v1/auth/token, grant_type=refresh_token",
  revoke: "POST /api/v1/auth/revoke",
};

/**
 * Requests of an operation right before it is measured (after as many pings, which warm the path
 * all requests share). Sent one at a time, a ping's CPU falls by half or more over its first
 * thousands, and climbs again for a while after other kinds of request (JIT warm-up, by all
 * signs), so the floor is measured last. A login is nearly all
 * PBKDF2: few of those.
 */
const WARMUP: Record<AuthOperation, number> = { floor: 2000, login: 50, refresh: 2000, revoke: 2000 };
const MEASURED_IN_TURN: readonly AuthOperation[] = ["login", "refresh", "revoke", "floor"];

interface AuthRow {
  endpoint: string;
  requests: number;
  cpuMsPerRequest: number;
  cpuRatioToFloor: number;
  /** NaN with DATABASE_URL's server (its processes are not ours to read). */
  databaseCpuMsPerRequest: number;
  p50Ms: number;
  p90Ms: number;
}

type Send = () => Promise<unknown>;

/**
 * One request of each operation; logins leave refresh tokens (each a live family) for the refresh
 * chain and the revokes. Warm-up revokes present unknown tokens instead (RFC 7009: the same
 * statement and the same 200; a family for each would take a login each).
 */
function authRequests(baseUrl: string, user: SeedUser): Record<AuthOperation, Send> & { warmupRevoke: Send } {
  const families: string[] = [];
  let accessToken = "";
  let chain: string | undefined;
  const send = async (route: string, init: RequestInit) => {
    const response = await fetch(`${baseUrl}${route}`, init);
    const body = await response.text();
    if (response.status !== 200) throw new Error(`${route} answered ${response.status}: ${body}`);
    return body;
  };
  const grant = async (fields: Record<string, string>) => {
    const pair = JSON.parse(await send("/api/v1/auth/token", { method: "POST", body: new URLSearchParams(fields) }));
    return pair as { access_token: string; refresh_token: string };
  };
  const revoke = (token: string) => send("/api/v1/auth/revoke", { method: "POST", body: new URLSearchParams({ token }) });
  const family = () => {
    const token = families.shift();
    if (token === undefined) throw new Error("bench: no login left to revoke");
    return token;
  };
  return {
    floor: () => send("/api/v1/ping", { headers: { authorization: `Bearer ${accessToken}` } }),
    login: async () => {
      const pair = await grant({ grant_type: "password", username: user.email, password: user.password });
      accessToken = pair.access_token;
      families.push(pair.refresh_token);
    },
    refresh: async () => {
      chain = (await grant({ grant_type: "refresh_token", refresh_token: chain ?? family() })).refresh_token;
    },
    revoke: () => revoke(family()),
    warmupRevoke: () => revoke(randomBytes(32).toString("base64url")),
  };
}

/** `count` requests one after another; the server's (and Postgres') CPU time over them, per request. */
async function measure(send: Send, count: number, serverPid: number, postgresPid: number | undefined) {
  const databaseCpu = () => (postgresPid === undefined ? Number.NaN : sampleTreeCpuMs(postgresPid));
  const latenciesMs: number[] = [];
  const [before, databaseBefore] = [sampleProcess(serverPid).cpuMs, databaseCpu()];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await send();
    latenciesMs.push(performance.now() - started);
  }
  const [after, databaseAfter] = [sampleProcess(serverPid).cpuMs, databaseCpu()];
  return { cpuMsPerRequest: (after - before) / count, databaseCpuMsPerRequest: (databaseAfter - databaseBefore) / count, latenciesMs };
}

/** The auth mode of scripts/bench.ts; returns the exit code. */
export async function runAuthBench(options: { requests: number; pin: boolean }, repoRoot: string, workDir: string): Promise<number> {
  const log = (line: string) => console.error(line);
  await mkdir(workDir, { recursive: true });
  await buildNode();
  const database = await prepareBenchDatabase({ serverUrl: process.env.DATABASE_URL || undefined, products: 0, log });
  const pinning = choosePinning(options.pin);
  const measured: Partial<Record<AuthOperation, Awaited<ReturnType<typeof measure>>>> = {};
  try {
    const server = await startBenchServer({
      repoRoot,
      databaseUrl: database.url,
      port: await findFreePort(),
      logFile: path.join(workDir, "auth-server.log"),
    });
    try {
      if (database.postgresPid !== undefined) pinning.others(database.postgresPid);
      pinning.generator(process.pid);
      pinning.server(server.pid);
      log(`bench: auth, ${pinning.description}; ${options.requests} measured requests per operation, one at a time, after a warm-up`);
      const requests = authRequests(server.baseUrl, database.users.viewer);
      await requests.login();
      for (let i = 0; i < WARMUP.floor; i++) await requests.floor();
      for (const operation of MEASURED_IN_TURN) {
        const warm = operation === "revoke" ? requests.warmupRevoke : requests[operation];
        for (let i = 0; i < WARMUP[operation]; i++) await warm();
        measured[operation] = await measure(requests[operation], options.requests, server.pid, database.postgresPid);
        log(`bench: auth, ${LABELS[operation]}: ${measured[operation].cpuMsPerRequest.toFixed(3)} ms CPU per request`);
      }
    } finally {
      await server.stop();
    }
  } finally {
    await database.close();
  }

  const floorCpu = measured.floor?.cpuMsPerRequest ?? Number.NaN;
  const rows: AuthRow[] = OPERATIONS.map((operation) => {
    const { cpuMsPerRequest = Number.NaN, databaseCpuMsPerRequest = Number.NaN, latenciesMs = [] } = measured[operation] ?? {};
    return {
      endpoint: LABELS[operation],
      requests: latenciesMs.length,
      cpuMsPerRequest,
      cpuRatioToFloor: cpuMsPerRequest / floorCpu,
      databaseCpuMsPerRequest,
      p50Ms: percentile(latenciesMs, 50),
      p90Ms: percentile(latenciesMs, 90),
    };
  });
  const machine = describeMachine();
  const results = {
    startedAt: new Date().toISOString(),
    machine,
    requestsPerOperation: options.requests,
    warmupPerOperation: WARMUP,
    pinning: pinning.description,
    database: database.description.replace(/ \(pid \d+\)/, ""),
    rows,
  };
  await writeFile(path.join(workDir, "auth-results.json"), `${JSON.stringify(results, null, 2)}\n`);
  const fixed = (value: number, digits: number) => (Number.isNaN(value) ? "—" : value.toFixed(digits));
  console.log(
    `Node server (dist/server.js, production mode) · ${results.database} · one request at a time over one keep-alive connection, ` +
      `${options.requests} per operation · ${pinning.description} · ${machine.cpus} × ${machine.cpuModel} · Node ${machine.node}`,
  );
  console.log("");
  console.log(
    table(
      ["endpoint", "n", "CPU ms/req", "CPU × floor", "p50 ms", "p90 ms", "Postgres CPU ms/req"],
      rows.map((row) => [
        row.endpoint,
        String(row.requests),
        fixed(row.cpuMsPerRequest, 3),
        fixed(row.cpuRatioToFloor, 2),
        fixed(row.p50Ms, 2),
        fixed(row.p90Ms, 2),
        fixed(row.databaseCpuMsPerRequest, 3),
      ]),
      [false, true, true, true, true, true, true],
    ),
  );
  console.log(
    `warm-up: ${WARMUP.floor} pings; right before each row is measured (the floor last), ${WARMUP.login} logins, ${WARMUP.refresh} refreshes, ` +
      `${WARMUP.revoke} revokes of unknown tokens, ${WARMUP.floor} pings; the refresh chain (one family) holds ${WARMUP.refresh}–${WARMUP.refresh + options.requests} tokens while measured`,
  );
  console.log(
    `CPU is counted in 10 ms clock ticks: a row's CPU ms/req is within one tick ÷ n (${fixed(10 / options.requests, 3)} ms) of the truth; ` +
      "nearest-rank percentiles. (.bench/auth-results.json; server log .bench/auth-server.log)",
  );
  return 0;
}
