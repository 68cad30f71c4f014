import { describe, expect, it } from "vitest";
import { lockRow, type SqlSession } from "../harness/row-lock";
import { type ContractTarget, json, uniqueTag, userInput } from "./target";

/** Stops and starts the Postgres the target talks to (same port, same data). */
export interface DatabaseSwitch {
  stop(): Promise<void>;
  start(): Promise<void>;
  /** A user seeded in that database, to show the token endpoint's database work fails and recovers too. */
  user: { email: string; password: string };
  /** A session of its own on that database (node-postgres on Node, the Neon driver in workerd). */
  openSession(): Promise<SqlSession>;
}

export interface OutageSettings {
  /** The target's READY_TIMEOUT_MS and REQUEST_TIMEOUT_MS. */
  readyTimeoutMs: number;
  requestTimeoutMs: number;
}

const RECOVERY_LIMIT_MS = 10_000;

async function timed(send: () => Promise<Response>) {
  const started = performance.now();
  const response = await send();
  const body: unknown = response.status === 204 ? null : await response.json();
  return { response, body, ms: performance.now() - started };
}

/** Polls until `send` answers `status`; returns how long that took. */
async function until(status: number, send: () => Promise<Response>): Promise<number> {
  const started = performance.now();
  let last = 0;
  while (performance.now() - started < RECOVERY_LIMIT_MS) {
    const response = await send();
    await response.body?.cancel();
    last = response.status;
    if (last === status) return performance.now() - started;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`still ${last}, not ${status}, after ${RECOVERY_LIMIT_MS} ms`);
}

/**
 * Stops the real Postgres under a running app, checks that it degrades to
 * quick 503s (never a 500, never a hang), starts Postgres again and checks that
 * the same app recovers by itself. One test: the steps depend on each other.
 */
export function outageContract(target: ContractTarget, database: DatabaseSwitch, settings: OutageSettings) {
  const { fetch } = target;
  describe(`database outage (${target.runtime})`, () => {
    it("answers 503 while Postgres is down and recovers by itself when it is back", { timeout: 60_000 }, async ({ annotate }) => {
      // What was measured, for the record (shown by the reporter).
      const report = (line: string) => annotate(line, "measured");
      // Login attempts are limited per address: a fresh one keeps other tests' counts apart.
      const address = `198.51.100.${Math.floor(Math.random() * 250) + 1}`;
      const login = () =>
        target.as("anonymous")("/api/v1/auth/token", {
          method: "POST",
          headers: { "cf-connecting-ip": address },
          body: new URLSearchParams({ grant_type: "password", username: database.user.email, password: database.user.password }),
        });

      expect((await fetch("/ready")).status).toBe(200);
      // A user (every service has them) as the row to read and write: a viewer, made an editor in flight.
      const created = await fetch("/api/v1/users", json(userInput(uniqueTag())));
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      expect((await login()).status).toBe(200);
      // Several connections in the pool (on Node) for the shutdown to kill.
      await Promise.all([1, 2, 3].map(() => fetch("/api/v1/users?limit=1")));

      // One request in flight as Postgres goes down: its UPDATE waits on a row lock another session holds.
      const lock = await lockRow(await database.openSession(), "users", id);
      const inFlight = timed(() => fetch(`/api/v1/users/${id}`, json({ role: "editor" }, "PATCH")));
      await lock.untilWaiting();
      await database.stop();
      const cut = await inFlight;
      // No lock.release(): the shutdown ended that session, and writing to a dead Neon socket throws uncaught in workerd.
      // Shutdown ends every backend in no set order: when the lock holder goes first, the
      // waiting UPDATE may still commit. Either outcome is honest; a 500 or a lost 200 is not.
      expect([200, 503]).toContain(cut.response.status);
      const acknowledged = cut.response.status === 200;
      if (!acknowledged) expect(cut.body).toMatchObject({ code: "service_unavailable" });
      await report(`request in flight at shutdown: ${cut.response.status} after ${cut.ms.toFixed(0)} ms`);

      const ready = await timed(() => fetch("/ready"));
      expect(ready.response.status).toBe(503);
      expect(ready.response.headers.get("content-type")).toBe("application/problem+json");
      expect(ready.body).toMatchObject({ code: "service_unavailable", checks: { database: expect.stringMatching(/unreachable|timeout/) } });
      expect(ready.ms).toBeLessThan(settings.readyTimeoutMs + 1_000);
      await report(`/ready with the database down: 503 in ${ready.ms.toFixed(0)} ms`);
      expect((await fetch("/health")).status).toBe(200);

      // Twice: the first round meets connections the shutdown killed, the second only fresh connection attempts.
      for (const round of [1, 2]) {
        const answers = await Promise.all([
          timed(() => fetch(`/api/v1/users/${id}`)),
          timed(() => fetch("/api/v1/users?limit=5")),
          timed(() => fetch("/api/v1/users", json(userInput(uniqueTag())))),
          timed(() => fetch(`/api/v1/users/${id}`, json({ role: "admin" }, "PATCH"))),
          timed(() => fetch(`/api/v1/users/${id}`, { method: "DELETE" })),
          timed(login),
        ]);
        for (const answer of answers) {
          expect(answer.response.status).toBe(503);
          expect(answer.response.headers.get("retry-after")).not.toBeNull();
          expect(answer.body).toMatchObject({ code: "service_unavailable" });
          expect(answer.ms).toBeLessThan(settings.requestTimeoutMs + 1_000);
        }
        await report(`API with the database down (round ${round}): 503 in ≤ ${Math.max(...answers.map((a) => a.ms)).toFixed(0)} ms`);
      }

      const restarted = performance.now();
      await database.start();
      await report(`Postgres restart took ${(performance.now() - restarted).toFixed(0)} ms`);
      await report(`/ready back to 200 ${(await until(200, () => fetch("/ready"))).toFixed(0)} ms after Postgres accepted connections`);
      await until(200, () => fetch(`/api/v1/users/${id}`));
      // The PATCH and DELETE tried during the outage changed nothing; an acknowledged in-flight PATCH was kept.
      const after = await fetch(`/api/v1/users/${id}`);
      expect(after.status).toBe(200);
      expect(await after.json()).toMatchObject({ role: acknowledged ? "editor" : "viewer" });
      const patched = await fetch(`/api/v1/users/${id}`, json({ role: "viewer" }, "PATCH"));
      expect(patched.status).toBe(200);
      expect((await login()).status).toBe(200);
    });
  });
}
