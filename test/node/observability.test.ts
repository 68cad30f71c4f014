import { afterAll, describe, expect, inject, it } from "vitest";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { createLogger } from "../../src/core/logger";
import { startServer } from "../../src/node/start-server";
import { serverTimingContract } from "../contract/server-timing.contract";
import { tokenFor, uniqueTag, userInput } from "../contract/target";
import { createNodeTarget } from "./app-target";

const target = createNodeTarget();
afterAll(() => target.database.close());
serverTimingContract(target);

type Start = Parameters<typeof startServer>[0];

/** A real server on a free port; its log lines, and a fetch as the given role. */
async function serve(settings: Start = {}) {
  const lines: string[] = [];
  const server = await startServer(
    { DATABASE_URL: inject("databaseUrl"), ENVIRONMENT: "test", PORT: "0", LOG_LEVEL: "info", ...settings },
    { sink: (line) => lines.push(line) },
  );
  const base = `http://127.0.0.1:${server.port}`;
  const request = async (path: string, init: RequestInit & { role?: "viewer" | "admin" } = {}) => {
    const headers = new Headers(init.headers);
    if (init.role) headers.set("authorization", `Bearer ${await tokenFor(init.role)}`);
    return fetch(`${base}${path}`, { ...init, headers });
  };
  return { server, lines, request };
}

/** A user: the resource every service keeps (see userInput). */
async function createUser(request: Awaited<ReturnType<typeof serve>>["request"]): Promise<string> {
  const response = await request("/api/v1/users", {
    role: "admin",
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(userInput(uniqueTag())),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** The value of one sample line, e.g. `http_requests_total{method="GET",...}`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe("request log line (Node entry)", () => {
  it("carries route template, status, timings, user id and the socket peer's address", async () => {
    const { server, lines, request } = await serve();
    try {
      const id = await createUser(request);
      expect((await request(`/api/v1/users/${id}`, { role: "admin", headers: { "x-request-id": "obs-log-1" } })).status).toBe(200);
      expect((await request("/health", { headers: { "x-request-id": "obs-log-2" } })).status).toBe(200);
      // /users/me also matches /users/:id (registered after it): the route that answered is /me.
      expect((await request("/api/v1/users/me", { role: "viewer", headers: { "x-request-id": "obs-log-3" } })).status).toBe(200);
      // Refused by the token check (middleware), still counted under the route it was meant for.
      expect((await request(`/api/v1/users/${id}`, { headers: { "x-request-id": "obs-log-4" } })).status).toBe(401);
    } finally {
      await server.shutdown("test");
    }
    const records = lines.map((line) => JSON.parse(line));
    const read = records.find((record) => record.requestId === "obs-log-1");
    expect(read).toMatchObject({
      level: "info",
      message: "request",
      method: "GET",
      route: "/api/v1/users/:id",
      status: 200,
      userId: inject("testUsers").admin.id,
      clientIp: expect.stringMatching(/127\.0\.0\.1$/),
    });
    expect(Date.parse(read.time)).not.toBeNaN();
    expect(read.dbTimeMs).toBeGreaterThan(0);
    expect(read.durationMs).toBeGreaterThanOrEqual(read.dbTimeMs);
    expect(records.find((record) => record.requestId === "obs-log-2")).toMatchObject({ route: "/health", dbTimeMs: 0 });
    expect(records.find((record) => record.requestId === "obs-log-3")).toMatchObject({ route: "/api/v1/users/me", status: 200 });
    expect(records.find((record) => record.requestId === "obs-log-4")).toMatchObject({ route: "/api/v1/users/:id", status: 401 });
  });

  it("logs an unexpected failure at error level with its stack, and answers 500 without it", async () => {
    const lines: string[] = [];
    const app = createApp({
      config: loadConfig({ ENVIRONMENT: "test", LOG_LEVEL: "info" }),
      logger: createLogger("info", (line) => lines.push(line)),
      openDatabase: () => {
        throw new Error("opening the database exploded");
      },
    });
    const response = await app.request("/api/v1/ping", { headers: { authorization: `Bearer ${await tokenFor("viewer")}` } });
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain("opening the database exploded");
    expect(response.headers.get("server-timing")).toMatch(/^db;dur=0, total;dur=/);
    const records = lines.map((line) => JSON.parse(line));
    const failure = records.find((record) => record.message === "unhandled error");
    expect(failure).toMatchObject({ level: "error", error: { message: "opening the database exploded" } });
    expect(failure.error.stack).toContain("observability.test.ts");
    expect(records.find((record) => record.message === "request")).toMatchObject({ level: "error", status: 500 });
  });

  it("LOG_FORMAT=pretty prints one short human line per request", async () => {
    const { server, lines, request } = await serve({ LOG_FORMAT: "pretty" });
    try {
      await request("/health", { headers: { "x-request-id": "obs-pretty-1" } });
    } finally {
      await server.shutdown("test");
    }
    const line = lines.find((candidate) => candidate.includes("obs-pretty-1"));
    expect(line).toMatch(/^\d\d:\d\d:\d\d\.\d{3} 200 GET \/health \d+(\.\d+)?ms db 0ms obs-pretty-1$/);
    expect(lines.find((candidate) => candidate.includes("listening"))).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO listening port=\d+/);
  });
});

describe("GET /metrics (Node entry)", () => {
  it("counts requests and their latency by method, route template and status, with pool and process metrics", async () => {
    const { server, request } = await serve();
    try {
      const id = await createUser(request);
      const series = 'method="GET",route="/api/v1/users/:id",status="200"';
      const before = await (await request("/metrics")).text();
      for (let i = 0; i < 3; i++) expect((await request(`/api/v1/users/${id}`, { role: "admin" })).status).toBe(200);
      const response = await request("/metrics");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
      const after = await response.text();

      expect(sample(after, `http_requests_total{${series}}`) - sample(before, `http_requests_total{${series}}`)).toBe(3);
      const count = `http_request_duration_seconds_count{${series}}`;
      expect(sample(after, count) - sample(before, count)).toBe(3);
      expect(after).toContain(`http_request_duration_seconds_bucket{le="0.005",${series}}`);
      expect(after).not.toContain(id);

      expect(sample(after, "db_pool_connections")).toBeGreaterThan(0);
      for (const gauge of ["db_pool_in_use_connections", "db_pool_idle_connections", "db_pool_waiting_requests"])
        expect(after).toMatch(new RegExp(`^${gauge} \\d+$`, "m"));
      for (const name of [
        "process_cpu_seconds_total",
        "process_resident_memory_bytes",
        "nodejs_heap_size_used_bytes",
        "nodejs_eventloop_lag_seconds",
      ])
        expect(after).toMatch(new RegExp(`^${name} `, "m"));

      const document = (await (await request("/openapi.json")).json()) as { paths: Record<string, unknown> };
      expect(Object.keys(document.paths)).not.toContain("/metrics");
    } finally {
      await server.shutdown("test");
    }
  });

  it("with METRICS_TOKEN, needs that bearer token", async () => {
    const token = "metrics-token-for-tests-0123456789";
    const { server, lines, request } = await serve({ METRICS_TOKEN: token });
    try {
      const anonymous = await request("/metrics");
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get("content-type")).toBe("application/problem+json");
      expect(anonymous.headers.get("www-authenticate")).toMatch(/^Bearer/);
      for (const wrong of [`Bearer ${token}x`, `Bearer ${token.slice(0, -1)}`, token, `Basic ${token}`])
        expect((await request("/metrics", { headers: { authorization: wrong } })).status).toBe(401);
      const scraped = await request("/metrics", { headers: { authorization: `Bearer ${token}` } });
      expect(scraped.status).toBe(200);
      expect(await scraped.text()).toContain("http_requests_total");
    } finally {
      await server.shutdown("test");
    }
    expect(lines.join("\n")).not.toContain(token);
  });
});
