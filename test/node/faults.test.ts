import type pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase } from "../../scripts/lib/embedded-postgres";
import { applyMigrations } from "../../scripts/lib/migrations";
import { openClient } from "../../scripts/lib/pg-client";
import { type SeedUser, seedUsers } from "../../scripts/lib/seed-users";
import { startServer } from "../../src/node/start-server";
import { startRestartablePostgres } from "../harness/restartable-postgres";
import { count5xx, quantile, runWriteLoad, statusSummary, type WriteLoadResult } from "../harness/write-load";

/**
 * Faults under write load, against the Node server over real HTTP (startServer
 * in this process, so "the process stays up" means no uncaught exception or
 * unhandled rejection while the faults run). Each part has a database of its
 * own: killing every backend of the run's shared test database would break the
 * other test files running meanwhile.
 */

const editor: SeedUser = { email: "faults@test.example", password: "faults test password 1", role: "editor" };

const openSession = (url: string) => openClient(url);

async function login(origin: string, user: SeedUser): Promise<string> {
  const response = await fetch(`${origin}/api/v1/auth/token`, {
    method: "POST",
    body: new URLSearchParams({ username: user.email, password: user.password }),
  });
  if (response.status !== 200) throw new Error(`login: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

function poster(origin: string, token: string) {
  return (key: string, body: string) =>
    fetch(`${origin}/api/v1/products`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "idempotency-key": key },
      body,
      signal: AbortSignal.timeout(5_000),
    });
}

/** Polls (at most ~2 s) until `send` answers 200; returns the last status. */
async function until200(send: () => Promise<Response>): Promise<number> {
  let status = 0;
  for (let attempt = 0; attempt < 20 && status !== 200; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100));
    const response = await send();
    await response.body?.cancel();
    status = response.status;
  }
  return status;
}

/** Counts errors that would have crashed a standalone server process. */
function crashSpy() {
  const seen: unknown[] = [];
  const listener = (error: unknown) => seen.push(error);
  process.on("uncaughtException", listener);
  process.on("unhandledRejection", listener);
  return {
    seen,
    dispose() {
      process.off("uncaughtException", listener);
      process.off("unhandledRejection", listener);
    },
  };
}

/** What the database says about the load's creates; `lost` must be 0. */
async function verify(session: pg.Client, load: WriteLoadResult, tag: string) {
  const { rows } = await session.query<{ id: string; sku: string }>("select id, sku from products where sku like $1", [`${tag}-%`]);
  const bySku = new Map<string, string[]>();
  for (const row of rows) bySku.set(row.sku, [...(bySku.get(row.sku) ?? []), row.id]);
  const stored = new Set(rows.map((row) => row.id));
  const lost = load.acknowledged.filter((ack) => !stored.has(ack.id));
  // A retried key must name the one row its sku has: the 201 (first or replayed) is that row's.
  const notOnce = load.acknowledged.filter((ack) => bySku.get(ack.sku)?.length !== 1 || bySku.get(ack.sku)?.[0] !== ack.id);
  const acknowledgedSkus = new Set(load.acknowledged.map((ack) => ack.sku));
  // Rows no acknowledged create explains: only keys still unresolved at the deadline may have one.
  const unresolvedSkus = new Set(load.unresolved.map((item) => item.sku));
  const unexplained = rows.filter((row) => !acknowledgedSkus.has(row.sku) && !unresolvedSkus.has(row.sku));
  return { lost, notOnce, unexplained, rows: rows.length };
}

function summary(label: string, load: WriteLoadResult, lost: number, extra = "") {
  const fivexx = count5xx(load.statuses);
  const retried = load.acknowledged.filter((ack) => ack.attempts > 1).length;
  return (
    `${label}: requests=${load.requests} acknowledged=${load.acknowledged.length} retried-keys=${retried} ` +
    `5xx=${fivexx} (${((100 * fivexx) / Math.max(1, load.requests)).toFixed(2)}%) lost=${lost} ` +
    `unresolved=${load.unresolved.length} statuses[${statusSummary(load.statuses)}] ${extra}` +
    `p50=${quantile(load.latenciesMs, 0.5).toFixed(0)}ms p99=${quantile(load.latenciesMs, 0.99).toFixed(0)}ms in ${(load.elapsedMs / 1000).toFixed(1)} s`
  );
}

describe("faults under write load (Node server over HTTP)", () => {
  describe("connections killed with pg_terminate_backend", () => {
    const name = `faults_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
    let url = "";
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    const warnings = new Map<string, number>();
    beforeAll(async () => {
      url = await createDatabase(inject("adminDatabaseUrl"), name);
      await applyMigrations(url);
      await seedUsers(url, [editor]);
      server = await startServer(
        { DATABASE_URL: url, ENVIRONMENT: "test", PORT: "0", LOG_LEVEL: "warn" },
        {
          sink: (line) => {
            const message = String((JSON.parse(line) as { message?: unknown }).message);
            warnings.set(message, (warnings.get(message) ?? 0) + 1);
          },
        },
      );
    });
    afterAll(async () => {
      await server?.shutdown("test");
      await dropDatabase(inject("adminDatabaseUrl"), name);
    });

    it("keeps answering, loses no acknowledged create, creates each retried key once, 5xx < 2 %", { timeout: 40_000 }, async () => {
      const origin = `http://127.0.0.1:${server?.port}`;
      const token = await login(origin, editor);
      const killer = await openSession(url);
      const tag = `kill${Date.now().toString(36)}`;
      const spy = crashSpy();
      let running = true;
      let kills = 0;
      let killed = 0;
      let killedActive = 0;
      const killing = (async () => {
        while (running) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          if (!running) break;
          // Every session of the server's pool, idle or in the middle of a statement (`active`).
          const { rows } = await killer.query<{ n: string; active: string }>(
            `select count(*) filter (where pg_terminate_backend(pid)) as n,
                    count(*) filter (where state <> 'idle') as active
             from pg_stat_activity
             where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'`,
          );
          kills++;
          killed += Number(rows[0]?.n ?? 0);
          killedActive += Number(rows[0]?.active ?? 0);
        }
      })();
      let load: WriteLoadResult;
      try {
        load = await runWriteLoad({ send: poster(origin, token), writers: 12, durationMs: 5_000, settleMs: 8_000, tag });
      } finally {
        running = false;
        await killing;
        spy.dispose();
      }

      // Still serving, with no restart: readiness (the last kill's dead pool connections may fail one check) and a fresh create.
      const ready = await until200(() => fetch(`${origin}/ready`));
      const fresh = await poster(origin, token)(`fresh-${tag}`, JSON.stringify({ name: "After", priceCents: 1, sku: `after-${tag}` }));

      const checked = await verify(killer, load, tag);
      await killer.end();
      const fivexx = count5xx(load.statuses);
      console.log(
        summary(
          "faults (Node, pg_terminate_backend every 300 ms)",
          load,
          checked.lost.length,
          `kills=${kills} backends-killed=${killed} (mid-statement ${killedActive}) `,
        ),
      );
      if (warnings.size > 0) console.log(`server warnings: ${JSON.stringify(Object.fromEntries(warnings))}`);
      expect(ready).toBe(200);
      expect(fresh.status).toBe(201);
      expect(spy.seen).toEqual([]);
      // The faults really cut some of the server's statements, not only idle connections (how many
      // depends on the machine's speed: on a quiet one most sessions are idle between requests).
      expect(killedActive).toBeGreaterThan(0);
      expect(load.unexpected).toEqual([]);
      expect(load.statuses.get("network") ?? 0).toBe(0);
      expect(checked.lost).toEqual([]);
      expect(load.unresolved).toEqual([]);
      expect(checked.notOnce).toEqual([]);
      expect(checked.unexplained).toEqual([]);
      expect(fivexx / load.requests).toBeLessThan(0.02);
    });
  });

  describe("database stopped and started again mid-run", () => {
    const budgetMs = 3_000;
    let postgres: Awaited<ReturnType<typeof startRestartablePostgres>> | undefined;
    let server: Awaited<ReturnType<typeof startServer>> | undefined;
    beforeAll(async () => {
      // A Postgres of this test's own: stopping the run's shared one would break every other test.
      postgres = await startRestartablePostgres(inject("postgresTemplate"));
      server = await startServer(
        {
          DATABASE_URL: postgres.databaseUrl,
          ENVIRONMENT: "test",
          PORT: "0",
          LOG_LEVEL: "silent",
          REQUEST_TIMEOUT_MS: String(budgetMs),
          READY_TIMEOUT_MS: "1000",
        },
        { sink: () => {} },
      );
    });
    afterAll(async () => {
      await server?.shutdown("test");
      await postgres?.dispose();
    });

    it("answers 503 while it is down and serves every retried key after, with no restart", { timeout: 45_000 }, async () => {
      if (!postgres || !server) throw new Error("not started");
      const database = postgres;
      const origin = `http://127.0.0.1:${server.port}`;
      const token = await login(origin, database.user);
      const tag = `stop${Date.now().toString(36)}`;
      const answers: { status: number | "network"; atMs: number }[] = [];
      const outage = { stoppedAtMs: 0, startingAtMs: 0, upAtMs: 0, readyWhileDown: 0 };
      const spy = crashSpy();
      const started = performance.now();
      const since = () => performance.now() - started;
      const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
      const faults = (async () => {
        await sleep(1_500);
        await database.stop();
        outage.stoppedAtMs = since();
        const ready = await fetch(`${origin}/ready`);
        outage.readyWhileDown = ready.status;
        await ready.body?.cancel();
        await sleep(1_500);
        outage.startingAtMs = since();
        await database.start();
        outage.upAtMs = since();
      })();
      let load: WriteLoadResult;
      try {
        [load] = await Promise.all([
          runWriteLoad({
            send: poster(origin, token),
            writers: 8,
            durationMs: 6_000,
            // Keys whose claim the stop orphaned answer 409 until the claim is older than the budget, then a retry takes over.
            settleMs: 4 * budgetMs,
            tag,
            onAnswer: (status, atMs) => answers.push({ status, atMs }),
          }),
          faults,
        ]);
      } finally {
        spy.dispose();
      }

      const ready = await until200(() => fetch(`${origin}/ready`));
      const fresh = await poster(origin, token)(`fresh-${tag}`, JSON.stringify({ name: "After", priceCents: 1, sku: `after-${tag}` }));
      const session = await openSession(database.databaseUrl);
      const checked = await verify(session, load, tag);
      await session.end();
      // The run's clock started a moment before the load's: answers inside this window came while Postgres was down.
      const whileDown = answers.filter((answer) => answer.atMs > outage.stoppedAtMs + 50 && answer.atMs < outage.startingAtMs);
      const afterUp = answers.filter((answer) => answer.atMs > outage.upAtMs);
      console.log(
        summary(
          "faults (Node, Postgres stopped and started)",
          load,
          checked.lost.length,
          `down ${((outage.upAtMs - outage.stoppedAtMs) / 1000).toFixed(1)} s: answers-while-down=${whileDown.length} ` +
            `(all 503: ${whileDown.every((answer) => answer.status === 503)}) answers-after=${afterUp.length} `,
        ),
      );
      expect(spy.seen).toEqual([]);
      expect(outage.readyWhileDown).toBe(503);
      expect(whileDown.length).toBeGreaterThan(0);
      expect(whileDown.filter((answer) => answer.status !== 503)).toEqual([]);
      expect(load.statuses.get(500) ?? 0).toBe(0);
      expect(load.statuses.get("network") ?? 0).toBe(0);
      expect(load.unexpected).toEqual([]);
      expect(checked.lost).toEqual([]);
      expect(load.unresolved).toEqual([]);
      expect(checked.notOnce).toEqual([]);
      expect(checked.unexplained).toEqual([]);
      expect(afterUp.filter((answer) => answer.status === 201).length).toBeGreaterThan(0);
      expect(ready).toBe(200);
      expect(fresh.status).toBe(201);
    });
  });
});
