import net from "node:net";
import { afterAll, describe, expect, inject, it } from "vitest";
import { openClient } from "../../scripts/lib/pg-client";
import { outageContract } from "../contract/outage.contract";
import { startRestartablePostgres } from "../harness/restartable-postgres";
import { createNodeTarget } from "./app-target";

// A Postgres of this file's own, stopped and started under one long-lived node-postgres pool.
const postgres = await startRestartablePostgres(inject("postgresTemplate"));
const settings = { readyTimeoutMs: 1_000, requestTimeoutMs: 3_000 };
const target = createNodeTarget({
  DATABASE_URL: postgres.databaseUrl,
  READY_TIMEOUT_MS: String(settings.readyTimeoutMs),
  REQUEST_TIMEOUT_MS: String(settings.requestTimeoutMs),
});
afterAll(async () => {
  await target.database.close();
  await postgres.dispose();
});

// The shutdown kills this session too: openClient's error listener keeps that from being an uncaught error.
const openSession = () => openClient(postgres.databaseUrl);

outageContract(target, { ...postgres, openSession }, settings);

describe("database that accepts connections but never answers", async () => {
  // A black hole: TCP connects, Postgres never speaks. Nothing fails fast here; only the timeouts bound the wait.
  const sockets = new Set<net.Socket>();
  const blackHole = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => {});
  });
  await new Promise<void>((resolve) => blackHole.listen(0, "127.0.0.1", resolve));
  const address = blackHole.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  const limits = { readyTimeoutMs: 500, requestTimeoutMs: 1_000 };
  const stuck = createNodeTarget({
    DATABASE_URL: `postgres://postgres:postgres@127.0.0.1:${address.port}/none`,
    READY_TIMEOUT_MS: String(limits.readyTimeoutMs),
    REQUEST_TIMEOUT_MS: String(limits.requestTimeoutMs),
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => blackHole.close(resolve));
    await stuck.database.close();
  });

  it("/ready answers 503 timeout and the API 503 within their budgets", async () => {
    let started = performance.now();
    const ready = await stuck.fetch("/ready");
    expect(performance.now() - started).toBeLessThan(limits.readyTimeoutMs + 1_000);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ checks: { database: "timeout" } });

    started = performance.now();
    const api = await stuck.fetch("/api/v1/users");
    expect(performance.now() - started).toBeLessThan(limits.requestTimeoutMs + 500);
    expect(api.status).toBe(503);
    expect(api.headers.get("retry-after")).not.toBeNull();
    expect(await api.json()).toMatchObject({ code: "service_unavailable", detail: expect.stringMatching(/took longer/) });
  });
});
