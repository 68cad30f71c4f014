import { describe, expect, it } from "vitest";
import {
  EDGE_LIMITS,
  type EdgeEntryResult,
  type EdgeRow,
  evaluateEdgeTargets,
  formatEdgeEntry,
  parseEdgeOptions,
  percentile,
  summariseOperation,
} from "../../scripts/lib/bench-edge-report";
import { workerdConfig } from "../../scripts/lib/bench-workerd";

describe("edge bench percentiles", () => {
  it("takes the nearest rank: a latency some request had, whatever the input order", () => {
    const values = [50, 10, 40, 20, 30, 100, 90, 80, 70, 60];
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile(values, 0)).toBe(10);
    expect(percentile([7], 90)).toBe(7);
    // Odd count: the median is the middle one, not an average of two.
    expect(percentile([1, 2, 3, 4, 1000], 50)).toBe(3);
  });

  it("has no percentile of nothing", () => {
    expect(percentile([], 50)).toBeNaN();
  });
});

describe("edge bench summary", () => {
  it("reads p50 as round trips of the injected delay", () => {
    const samples = [21, 22, 23, 24, 25, 26, 27, 28, 29, 200];
    expect(summariseOperation("get", samples, 20)).toEqual({ operation: "get", requests: 10, p50Ms: 25, p90Ms: 29, roundTrips: 1.25 });
  });

  const row = (operation: EdgeRow["operation"], p50Ms: number): EdgeRow => summariseOperation(operation, [p50Ms], 20);

  it("holds Workers to 1.5 round trips and Node to 1.6, the limit itself included", () => {
    const rows = [row("ping", 30), row("create", 31), row("patch", 32), row("delete", 33)];
    expect(evaluateEdgeTargets("workers", rows).map((target) => [target.operation, target.met])).toEqual([
      ["ping", true],
      ["create", false],
      ["patch", false],
      ["delete", false],
    ]);
    expect(evaluateEdgeTargets("node", rows).map((target) => [target.operation, target.met])).toEqual([
      ["ping", true],
      ["create", true],
      ["patch", true],
      ["delete", false],
    ]);
    expect(EDGE_LIMITS).toEqual({ workers: 1.5, node: 1.6 });
  });

  it("holds the local floor (GET /health, no database) to no target, however slow", () => {
    const targets = evaluateEdgeTargets("workers", [row("health", 100), row("get", 25)]);
    expect(targets.map((target) => target.operation)).toEqual(["get"]);
  });

  it("misses the target of an operation whose every request failed", () => {
    const [target] = evaluateEdgeTargets("workers", [summariseOperation("list", [], 20)]);
    expect(target?.met).toBe(false);
  });

  it("prints one row per operation with its verdict", () => {
    const rows = [row("health", 9), row("ping", 22), row("create-idempotent", 64)];
    const result: EdgeEntryResult = {
      entry: "workers",
      path: "workerd → proxy → endpoint",
      rows,
      errors: 0,
      connections: 1,
      targets: evaluateEdgeTargets("workers", rows),
    };
    const lines = formatEdgeEntry(result, 20).split("\n");
    expect(lines[0]).toContain("Workers: workerd → proxy → endpoint · RTT 20 ms");
    expect(lines.find((line) => line.startsWith("GET /health"))).toMatch(/9\.0\s+9\.0\s+0\.45\s+none$/);
    expect(lines.find((line) => line.startsWith("GET /api/v1/ping"))).toMatch(/22\.0\s+22\.0\s+1\.10\s+met \(≤ 1\.5\)$/);
    expect(lines.find((line) => line.startsWith("POST /api/v1/products + Idempotency-Key"))).toMatch(/3\.20\s+MISSED \(≤ 1\.5\)$/);
  });
});

describe("edge bench options", () => {
  it("defaults to a 20 ms RTT, 60 requests per operation and both entries", () => {
    expect(parseEdgeOptions(["--edge"])).toEqual({ rttMs: 20, requests: 60, warmup: 5, entries: ["node", "workers"] });
  });

  it("takes --rtt, --requests, --warmup and --entries", () => {
    expect(parseEdgeOptions(["--edge", "--rtt=40", "--requests=10", "--warmup=0", "--entries=workers"])).toEqual({
      rttMs: 40,
      requests: 10,
      warmup: 0,
      entries: ["workers"],
    });
  });

  it("refuses what it cannot measure", () => {
    expect(() => parseEdgeOptions(["--rtt=0"])).toThrow(/--rtt must be an integer 1\.\.1000/);
    expect(() => parseEdgeOptions(["--rtt="])).toThrow(/--rtt/);
    expect(() => parseEdgeOptions(["--requests=1.5"])).toThrow(/--requests/);
    expect(() => parseEdgeOptions(["--entries=node,deno"])).toThrow(/--entries takes node, workers/);
    // The throughput bench's options mean nothing here: silently ignoring them would mislead.
    expect(() => parseEdgeOptions(["--duration=5"])).toThrow(/unknown option --duration=5/);
  });

  it("holds the wrangler dev comparison to no target, and runs node and workers by default", () => {
    expect(parseEdgeOptions([]).entries).toEqual(["node", "workers"]);
    const slow = [{ operation: "ping" as const, requests: 1, p50Ms: 90, p90Ms: 90, roundTrips: 4.5 }];
    expect(evaluateEdgeTargets("wrangler-dev", slow)).toEqual([]);
    expect(evaluateEdgeTargets("workers", slow)).toMatchObject([{ operation: "ping", met: false, limit: 1.5 }]);
  });
});

describe("workerd config of the edge bench", () => {
  it("serves the bundle on loopback with the Worker's vars as text bindings and lets it reach loopback", () => {
    const config = workerdConfig({ port: 4321, date: "2026-11-01", flags: ["nodejs_compat"], vars: { A: 'quote " and \\ back' } });
    expect(config).toContain('address = "127.0.0.1:4321"');
    expect(config).toContain('compatibilityFlags = ["nodejs_compat"]');
    expect(config).toContain('(name = "A", text = "quote \\" and \\\\ back")');
    expect(config).toMatch(/allow = \[[^\]]*"local"/);
    expect(config).toContain('globalOutbound = "network"');
  });
});
