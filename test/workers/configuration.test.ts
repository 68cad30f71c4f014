import { describe, expect, it } from "vitest";
import { createWorkerTarget } from "./worker-target";

describe("Worker configuration", () => {
  it("answers 503 problem naming the bad variable instead of half-working", async () => {
    const target = createWorkerTarget({ LOG_LEVEL: "loud" });
    const response = await target.fetch("/api/v1/users");
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as { code: string; detail: string; requestId: string };
    expect(body.code).toBe("service_unavailable");
    expect(body.detail).toMatch(/LOG_LEVEL/);
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("without DATABASE_URL, /ready says how to start a database and /health still answers", async () => {
    const target = createWorkerTarget({ DATABASE_URL: "", NEON_HTTP_ENDPOINT: "" });
    const ready = await target.fetch("/ready");
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { detail: string }).detail).toMatch(/npm run dev/);
    expect((await target.fetch("/health")).status).toBe(200);
  });

  it("with an unreachable database, API routes answer 503 (not 500)", async () => {
    const target = createWorkerTarget({ DATABASE_URL: "postgres://postgres:postgres@127.0.0.1:1/none", READY_TIMEOUT_MS: "1000" });
    const response = await target.fetch("/api/v1/users");
    expect(response.status).toBe(503);
    expect(((await response.json()) as { code: string }).code).toBe("service_unavailable");
    expect((await target.fetch("/ready")).status).toBe(503);
  });
});
