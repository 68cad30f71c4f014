import { describe, expect, it } from "vitest";
import type { Scenario } from "../../scripts/lib/bench-load";
import { median, type RoundResult, summarise } from "../../scripts/lib/bench-report";

const endpoints: Record<Scenario, string> = { floor: "floor", get: "get", list: "list", post: "post", patch: "patch" };

const row = (round: number, scenario: Scenario, requestsPerSecond: number, cpuMsPerRequest: number): RoundResult => ({
  round,
  scenario,
  requests: requestsPerSecond,
  requestsPerSecond,
  p50Ms: 1000 / requestsPerSecond,
  p99Ms: 2000 / requestsPerSecond,
  cpuMsPerRequest,
  systemCpuMsPerRequest: cpuMsPerRequest / 4,
  databaseCpuMsPerRequest: 0.05,
  rssMb: requestsPerSecond / 100,
  errors: 0,
});

describe("bench summary", () => {
  it("takes medians, odd and even", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it("compares each endpoint with the floor of its own round, so a slow round does not skew the ratio", () => {
    // Round 1 ran on a busy machine: everything at half speed, the ratio unchanged.
    const rounds = [
      row(0, "floor", 1000, 0.1),
      row(0, "get", 800, 0.125),
      row(1, "floor", 500, 0.2),
      row(1, "get", 400, 0.25),
      row(2, "floor", 1000, 0.1),
      row(2, "get", 900, 0.11),
    ];
    const [floor, get] = summarise(rounds, endpoints);
    expect(floor).toMatchObject({ scenario: "floor", requestsPerSecond: 1000, ratioToFloor: 1, cpuRatioToFloor: 1, requests: 2500 });
    expect(get).toMatchObject({
      scenario: "get",
      requestsPerSecond: 800,
      roundsRequestsPerSecond: [800, 400, 900],
      cpuMsPerRequest: 0.125,
    });
    expect(get?.ratioToFloor).toBeCloseTo(0.8);
    expect(get?.cpuRatioToFloor).toBeCloseTo(1.25);
    // Latencies and RSS come from the round whose throughput is the median.
    expect(get).toMatchObject({ p50Ms: 1000 / 800, rssMb: 8 });
  });
});
