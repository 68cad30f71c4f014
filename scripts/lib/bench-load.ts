/**
 * The load generator of `npm run bench`: `wrk` when it is installed (C, one thread,
 * so it takes the least CPU from the server on a small machine), otherwise
 * autocannon from npm (in this process; its latencies are whole milliseconds).
 * Both run closed-loop with a fixed number of keep-alive connections for a fixed
 * time: the load is bounded in connections, duration and target (loopback only).
 */
import { execFileSync, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import autocannon, { type AutocannonRequest } from "autocannon";

/** What each request of a phase looks like; every kind exists in both generators. */
export const SCENARIOS = ["floor", "get", "list", "post", "patch"] as const;
export type Scenario = (typeof SCENARIOS)[number];

export interface LoadOptions {
  /** http://127.0.0.1:<port> */
  baseUrl: string;
  scenario: Scenario;
  /** Bearer token from POST /api/v1/auth/token. */
  token: string;
  /** Product ids to pick from at random (GET, PATCH). */
  ids: readonly string[];
  /** Unique per phase: every sku a POST phase creates starts with it. */
  skuPrefix: string;
  durationSeconds: number;
  connections: number;
  /** Where wrk's Lua script and id list are written. */
  workDir: string;
}

export interface LoadResult {
  requests: number;
  durationSeconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Socket errors, timeouts and responses with a status ≥ 400 (every phase expects none). */
  errors: number;
}

export interface LoadGenerator {
  name: string;
  run(options: LoadOptions): Promise<LoadResult>;
}

/** `wrk` on the PATH (BENCH_LOAD_GENERATOR=autocannon forces the npm one). */
export function chooseLoadGenerator(env: NodeJS.ProcessEnv = process.env): LoadGenerator {
  if (env.BENCH_LOAD_GENERATOR !== "autocannon" && hasWrk()) return wrk;
  return autocannonGenerator;
}

function hasWrk(): boolean {
  try {
    execFileSync("wrk", ["--version"], { stdio: "ignore" });
    return true;
  } catch (error) {
    // wrk --version prints its usage and exits 1: it exists. ENOENT means it does not.
    return (error as NodeJS.ErrnoException).code !== "ENOENT";
  }
}

const LIST_QUERY = "limit=20&currency=EUR&sort=priceCents&minPrice=";
/** Seeded prices run 100..100000 cents; a third of the rows are EUR, so any minPrice below this fills a page. */
const MAX_LIST_MIN_PRICE = 90_000;

// ---------------------------------------------------------------------------------------------
// wrk: one Lua script per scenario. The token and the id file come in through the environment,
// so no credential is written to disk.

const WRK_PRELUDE = `
local ids = {}
local counter = 0
-- thread_id is a global: setup() sets it in each thread's own Lua state.
local prefix = os.getenv("BENCH_SKU_PREFIX")
local auth = "Bearer " .. os.getenv("BENCH_TOKEN")
-- wrk.format(…, headers) sends only the headers it is given (plus Host): each request names Authorization.
wrk.headers["Authorization"] = auth
local next_thread = 0
function setup(thread)
  next_thread = next_thread + 1
  thread:set("thread_id", next_thread)
end
function init(args)
  for line in io.lines(os.getenv("BENCH_IDS_FILE")) do ids[#ids + 1] = line end
  math.randomseed(os.time() * 1000 + (thread_id or 0))
end
local function random_id() return ids[math.random(#ids)] end
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH_RESULT {"requests":%d,"durationUs":%d,"p50Us":%d,"p99Us":%d,"errors":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.status + e.timeout))
end
`;

const WRK_REQUESTS: Record<Scenario, string> = {
  floor: `request = function() return wrk.format("GET", "/api/v1/ping") end`,
  get: `request = function() return wrk.format("GET", "/api/v1/products/" .. random_id()) end`,
  list: `request = function()
  return wrk.format("GET", "/api/v1/products?${LIST_QUERY}" .. math.random(0, ${MAX_LIST_MIN_PRICE}))
end`,
  post: `request = function()
  counter = counter + 1
  local sku = prefix .. "-" .. thread_id .. "-" .. counter
  local body = '{"name":"Bench product ' .. sku .. '","priceCents":' .. math.random(100, 100000) .. ',"currency":"USD","sku":"' .. sku .. '"}'
  return wrk.format("POST", "/api/v1/products", { ["Authorization"] = auth, ["Content-Type"] = "application/json" }, body)
end`,
  patch: `request = function()
  local body = '{"priceCents":' .. math.random(100, 100000) .. '}'
  return wrk.format("PATCH", "/api/v1/products/" .. random_id(), { ["Authorization"] = auth, ["Content-Type"] = "application/merge-patch+json" }, body)
end`,
};

const wrk: LoadGenerator = {
  name: "wrk",
  async run(options) {
    const script = path.join(options.workDir, `wrk-${options.scenario}.lua`);
    const idsFile = path.join(options.workDir, "ids.txt");
    await writeFile(script, `${WRK_PRELUDE}\n${WRK_REQUESTS[options.scenario]}\n`);
    await writeFile(idsFile, `${options.ids.join("\n")}\n`);
    const args = ["-t", "1", "-c", String(options.connections), "-d", `${options.durationSeconds}s`, "--timeout", "10s", "-s", script];
    const output = await capture("wrk", [...args, options.baseUrl], {
      ...process.env,
      BENCH_TOKEN: options.token,
      BENCH_IDS_FILE: idsFile,
      BENCH_SKU_PREFIX: options.skuPrefix,
    });
    const line = output.split("\n").find((text) => text.startsWith("BENCH_RESULT "));
    if (!line) throw new Error(`wrk printed no result:\n${output}`);
    const raw = JSON.parse(line.slice("BENCH_RESULT ".length)) as {
      requests: number;
      durationUs: number;
      p50Us: number;
      p99Us: number;
      errors: number;
    };
    const durationSeconds = raw.durationUs / 1e6;
    return {
      requests: raw.requests,
      durationSeconds,
      requestsPerSecond: raw.requests / durationSeconds,
      p50Ms: raw.p50Us / 1000,
      p99Ms: raw.p99Us / 1000,
      errors: raw.errors,
    };
  },
};

function capture(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}:\n${output}`))));
  });
}

// ---------------------------------------------------------------------------------------------
// autocannon: the same scenarios as setupRequest functions.

const randomInt = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

type Changes = { method: string; path: string; headers?: Record<string, string>; body?: string };

/** autocannon replaces the whole request with what setupRequest returns: keep its host and default headers. */
const dynamic = (method: string, next: () => Changes) => ({
  method,
  setupRequest: (request: AutocannonRequest): AutocannonRequest => {
    const changes = next();
    return { ...request, ...changes, headers: { ...request.headers, ...changes.headers } };
  },
});

function autocannonRequest(options: LoadOptions) {
  const pick = () => options.ids[Math.floor(Math.random() * options.ids.length)] ?? "";
  let counter = 0;
  switch (options.scenario) {
    case "floor":
      return { method: "GET", path: "/api/v1/ping" };
    case "get":
      return dynamic("GET", () => ({ method: "GET", path: `/api/v1/products/${pick()}` }));
    case "list":
      return dynamic("GET", () => ({ method: "GET", path: `/api/v1/products?${LIST_QUERY}${randomInt(0, MAX_LIST_MIN_PRICE)}` }));
    case "post":
      return dynamic("POST", () => {
        counter++;
        const sku = `${options.skuPrefix}-${counter}`;
        return {
          method: "POST",
          path: "/api/v1/products",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ name: `Bench product ${sku}`, priceCents: randomInt(100, 100_000), currency: "USD", sku }),
        };
      });
    case "patch":
      return dynamic("PATCH", () => ({
        method: "PATCH",
        path: `/api/v1/products/${pick()}`,
        headers: { "content-type": "application/merge-patch+json" },
        body: JSON.stringify({ priceCents: randomInt(100, 100_000) }),
      }));
  }
}

const autocannonGenerator: LoadGenerator = {
  name: "autocannon",
  async run(options) {
    const result = await autocannon({
      url: options.baseUrl,
      connections: options.connections,
      duration: options.durationSeconds,
      timeout: 10,
      headers: { authorization: `Bearer ${options.token}` },
      requests: [autocannonRequest(options)],
    });
    const requests = result.requests.total;
    return {
      requests,
      durationSeconds: result.duration,
      requestsPerSecond: requests / result.duration,
      p50Ms: result.latency.p50,
      p99Ms: result.latency.p99,
      errors: result.errors + result.timeouts + result.non2xx,
    };
  },
};
