import { describe, expect, it } from "vitest";
import { serverTimingContract } from "../contract/server-timing.contract";
import { json, uniqueTag, userInput } from "../contract/target";
import { createWorkerTarget } from "./worker-target";

serverTimingContract(createWorkerTarget());

describe("Workers request metrics (Analytics Engine)", () => {
  it("writes one data point per request with the route template, status and timings", async () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const target = createWorkerTarget({ METRICS: { writeDataPoint: (point) => point && points.push(point) } });
    const created = await target.fetch("/api/v1/users", json(userInput(uniqueTag())));
    const { id } = (await created.json()) as { id: string };
    points.length = 0;

    const response = await target.fetch(`/api/v1/users/${id}`);
    expect(response.status).toBe(200);
    expect(points).toHaveLength(1);
    const [point] = points;
    expect(point).toMatchObject({
      indexes: ["/api/v1/users/:id"],
      blobs: ["GET", "/api/v1/users/:id", "2xx", "200"],
    });
    const [durationMs = -1, dbTimeMs = -1] = point?.doubles ?? [];
    expect(dbTimeMs).toBeGreaterThan(0);
    expect(durationMs).toBeGreaterThanOrEqual(dbTimeMs);
  });

  it("keeps answering when the dataset is not bound or a write fails", async () => {
    const unbound = createWorkerTarget({ METRICS: undefined });
    expect((await unbound.fetch("/health")).status).toBe(200);
    const failing = createWorkerTarget({
      METRICS: {
        writeDataPoint: () => {
          throw new Error("dataset unavailable");
        },
      },
    });
    expect((await failing.fetch("/health")).status).toBe(200);
  });

  it("has no /metrics endpoint (Prometheus is Node only)", async () => {
    expect((await createWorkerTarget().fetch("/metrics")).status).toBe(404);
  });
});
