import net from "node:net";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { json, tokenFor, uniqueTag, userInput } from "../contract/target";
import { createNodeTarget } from "./app-target";

async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe("database unreachable", async () => {
  const port = await closedPort();
  const target = createNodeTarget({ DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${port}/none`, READY_TIMEOUT_MS: "500" });
  afterAll(() => target.database.close());

  it("/ready answers 503 problem naming the failure; /health stays 200", async () => {
    const ready = await target.fetch("/ready");
    expect(ready.status).toBe(503);
    expect(ready.headers.get("content-type")).toBe("application/problem+json");
    expect(await ready.json()).toMatchObject({ code: "service_unavailable", checks: { database: "unreachable" } });
    expect((await target.fetch("/health")).status).toBe(200);
  });

  it("API routes answer 503 service_unavailable, not 500", async () => {
    const response = await target.fetch("/api/v1/users", json(userInput(uniqueTag())));
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).not.toBeNull();
    expect(await response.json()).toMatchObject({ code: "service_unavailable" });
  });
});

describe("no database configured", () => {
  const app = createApp({ config: loadConfig({ ENVIRONMENT: "test", LOG_LEVEL: "silent" }) });

  it("/ready answers 503 with how to start one, and the API 503", async () => {
    const ready = await app.request("/ready");
    expect(ready.status).toBe(503);
    const body = (await ready.json()) as { detail: string; checks: { database: string } };
    expect(body.checks.database).toBe("not_configured");
    expect(body.detail).toMatch(/npm run dev/);
    expect(body.detail).toMatch(/DATABASE_URL/);
    const api = await app.request("/api/v1/ping", { headers: { authorization: `Bearer ${await tokenFor("viewer")}` } });
    expect(api.status).toBe(503);
  });
});
