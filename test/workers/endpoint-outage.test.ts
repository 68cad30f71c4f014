import { describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { json, uniqueTag, userInput } from "../contract/target";
import { createWorkerTarget } from "./worker-target";

/**
 * Neon's HTTP endpoint itself goes away under a running Worker (the local
 * `/sql` endpoint here, one of this test's own from the global setup's control
 * endpoint): every API request answers 503 quickly, the fetch error never
 * becomes a 500, and the Worker recovers by itself once the endpoint is back
 * on the same URL. (Postgres stopped behind a running endpoint is
 * test/workers/database-outage.test.ts.)
 */
const control = inject("outageControl");

async function post(path: string): Promise<unknown> {
  const response = await fetch(`${control}${path}`, { method: "POST" });
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const { url } = z.object({ url: z.string() }).parse(await post("/endpoint/start"));
const requestTimeoutMs = 3_000;
const target = createWorkerTarget({ NEON_HTTP_ENDPOINT: url, REQUEST_TIMEOUT_MS: String(requestTimeoutMs), READY_TIMEOUT_MS: "1000" });

describe("SQL-over-HTTP endpoint lost (Workers)", () => {
  it("answers 503 while the endpoint is down and recovers when it is back", { timeout: 30_000 }, async () => {
    const created = await target.fetch("/api/v1/users", json(userInput(uniqueTag())));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };

    await post("/endpoint/stop");
    const requests = [
      () => target.fetch("/api/v1/ping"),
      () => target.fetch(`/api/v1/users/${id}`),
      () => target.fetch("/api/v1/users?limit=5"),
      () => target.fetch("/api/v1/users", json(userInput(uniqueTag()), "POST", { "idempotency-key": `lost-${uniqueTag()}` })),
      () => target.fetch(`/api/v1/users/${id}`, json({ role: "editor" }, "PATCH")),
    ];
    for (const send of requests) {
      const started = performance.now();
      const response = await send();
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).not.toBeNull();
      expect(await response.json()).toMatchObject({ code: "service_unavailable" });
      expect(performance.now() - started).toBeLessThan(requestTimeoutMs);
    }
    const ready = await target.fetch("/ready");
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { database: "unreachable" } });

    await post("/endpoint/start");
    expect((await target.fetch("/api/v1/ping")).status).toBe(200);
    expect((await target.fetch("/ready")).status).toBe(200);
    // The PATCH tried while the endpoint was down changed nothing.
    expect(await (await target.fetch(`/api/v1/users/${id}`)).json()).toMatchObject({ role: "viewer" });
  });
});
