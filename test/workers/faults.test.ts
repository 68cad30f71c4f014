import { describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { count5xx, quantile, runWriteLoad, statusSummary } from "../harness/write-load";
import { openRemoteSession } from "./remote-session";
import { createWorkerTarget } from "./worker-target";

/**
 * The Node fault test's connection kills (test/node/faults.test.ts), smaller, in
 * workerd: the Worker's own fetch over the Neon driver and the local `/sql`
 * endpoint, on a database of this test's own. `pg_terminate_backend` kills the
 * endpoint's pooled connections mid-statement, as a failover or a compute
 * restart would behind Neon's proxy. workerd cannot run Postgres admin work
 * against another database or spawn anything, so the global setup's control
 * endpoint makes the database and runs the kills.
 * (The database stopped and started again is test/workers/database-outage.test.ts.)
 */

const control = inject("outageControl");
const KILL_EVERY_MS = 300;

async function post(path: string): Promise<unknown> {
  const response = await fetch(`${control}${path}`, { method: "POST" });
  if (!response.ok) throw new Error(`control ${path}: ${response.status} ${await response.text()}`);
  return response.json();
}

const made = z.object({ databaseUrl: z.string(), name: z.string() }).parse(await post("/database"));
const killedCount = z.object({ terminated: z.number(), active: z.number() });
// Tokens are the run's test users' (signed as the service signs them): no user rows are needed to create products.
const target = createWorkerTarget({ DATABASE_URL: made.databaseUrl });

describe("faults under write load (Workers)", () => {
  it("loses no acknowledged create, creates each retried key once, 5xx < 2 %", { timeout: 40_000 }, async () => {
    const tag = `wkill${Date.now().toString(36)}`;
    const send = target.as("editor");
    let running = true;
    let kills = 0;
    let killed = 0;
    let killedActive = 0;
    const killing = (async () => {
      while (running) {
        await new Promise((resolve) => setTimeout(resolve, KILL_EVERY_MS));
        if (!running) break;
        const result = killedCount.parse(await post(`/terminate?database=${made.name}`));
        kills++;
        killed += result.terminated;
        killedActive += result.active;
      }
    })();
    const load = await runWriteLoad({
      send: (key, body) =>
        send("/api/v1/products", { method: "POST", headers: { "content-type": "application/json", "idempotency-key": key }, body }),
      writers: 8,
      durationMs: 6_000,
      settleMs: 6_000,
      tag,
    }).finally(async () => {
      running = false;
      await killing;
    });

    const session = await openRemoteSession(made.databaseUrl);
    const { rows } = await session.query("select id, sku from products where sku like $1", [`${tag}-%`]);
    await session.end();
    const stored = z.array(z.object({ id: z.string(), sku: z.string() })).parse(rows);
    const idBySku = new Map(stored.map((row) => [row.sku, row.id]));
    const lost = load.acknowledged.filter((ack) => idBySku.get(ack.sku) !== ack.id);
    const acknowledgedSkus = new Set(load.acknowledged.map((ack) => ack.sku));
    const unexplained = stored.filter((row) => !acknowledgedSkus.has(row.sku));
    const fivexx = count5xx(load.statuses);
    console.log(
      `faults (Workers, pg_terminate_backend every ${KILL_EVERY_MS} ms): requests=${load.requests} acknowledged=${load.acknowledged.length} ` +
        `retried-keys=${load.acknowledged.filter((ack) => ack.attempts > 1).length} 5xx=${fivexx} ` +
        `(${((100 * fivexx) / Math.max(1, load.requests)).toFixed(2)}%) lost=${lost.length} unresolved=${load.unresolved.length} ` +
        `statuses[${statusSummary(load.statuses)}] kills=${kills} backends-killed=${killed} (mid-statement ${killedActive}) ` +
        `p50=${quantile(load.latenciesMs, 0.5).toFixed(0)}ms p99=${quantile(load.latenciesMs, 0.99).toFixed(0)}ms ` +
        `in ${(load.elapsedMs / 1000).toFixed(1)} s`,
    );

    expect(killedActive).toBeGreaterThan(0);
    expect(load.unexpected).toEqual([]);
    expect(lost).toEqual([]);
    expect(load.unresolved).toEqual([]);
    expect(unexplained).toEqual([]);
    expect(fivexx / load.requests).toBeLessThan(0.02);
    // Still serving after the faults.
    expect((await target.fetch("/ready")).status).toBe(200);
  });
});
