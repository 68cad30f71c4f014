import { describe, expect, it } from "vitest";
import { DEVELOPMENT_JWT_SECRET } from "../../src/config";
import { createWorkerTarget } from "./worker-target";

const strongSecret = "q8Vd3kP0zX7mN2rT5wY9bC4fH6jL1sA8eG3uI0oK";

describe("Worker configuration", () => {
  it("answers 503 problem naming the bad variable instead of half-working", async () => {
    const target = createWorkerTarget({ LOG_LEVEL: "loud" });
    const response = await target.fetch("/api/v1/users");
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: "/problems/service_unavailable",
      title: "Service unavailable",
      status: 503,
      instance: "/api/v1/users",
      code: "service_unavailable",
    });
    expect(body.detail).toMatch(/LOG_LEVEL/);
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("without ENVIRONMENT (a deploy without --env) refuses to run rather than trust the development secret", async () => {
    // target.fetch signs its admin token with DEVELOPMENT_JWT_SECRET: a development Worker would accept it.
    const response = await createWorkerTarget({ ENVIRONMENT: undefined }).fetch("/api/v1/users");
    expect(response.status).toBe(503);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/ENVIRONMENT: is required/);
  });

  it("in production refuses the development secret and a weak one, but needs no METRICS_TOKEN (Workers serve no /metrics)", async () => {
    for (const secret of [DEVELOPMENT_JWT_SECRET, "too-short"]) {
      const response = await createWorkerTarget({ ENVIRONMENT: "production", JWT_SECRET: secret }).fetch("/health");
      expect(response.status).toBe(503);
      expect(((await response.json()) as { detail: string }).detail).toMatch(/JWT_SECRET: is too weak/);
    }
    const production = createWorkerTarget({ ENVIRONMENT: "production", JWT_SECRET: strongSecret });
    expect((await production.fetch("/health")).status).toBe(200);
    expect((await production.fetch("/api/v1/users")).status).toBe(401);
  });

  it("builds problem types under PUBLIC_URL when it is set", async () => {
    const response = await createWorkerTarget({ PUBLIC_URL: "https://api.example.com/" }).fetch("http://evil.example/nope", {
      headers: { host: "evil.example" },
    });
    expect(((await response.json()) as { type: string }).type).toBe("https://api.example.com/problems/not_found");
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
