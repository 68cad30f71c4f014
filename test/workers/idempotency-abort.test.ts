import { describe, expect, inject, it } from "vitest";
import { z } from "zod";
import { countUsers, json, uniqueTag, userInput } from "../contract/target";
import { openRemoteSession } from "./remote-session";
import { createWorkerTarget } from "./worker-target";

/**
 * Idempotency over HTTP when the first request's statement is stuck in
 * Postgres (here: behind another session's uncommitted insert of the same
 * e-mail) and its time budget aborts the fetch. While it is stuck it holds the
 * key: a retry gets 409. Once the abort has cancelled it, it has created
 * nothing and stored nothing, and the retry creates the user exactly once.
 */
const budgetMs = 500;
const target = createWorkerTarget({ REQUEST_TIMEOUT_MS: String(budgetMs) });
const waiters = z.array(z.object({ n: z.coerce.number() })).length(1);

describe("Idempotency-Key over HTTP, first request aborted by its budget (Workers)", () => {
  it("answers 409 while the first still runs, and the retry after the abort creates exactly once", { timeout: 20_000 }, async () => {
    const tag = uniqueTag();
    const body = userInput(tag);
    const post = () => target.fetch("/api/v1/users", json(body, "POST", { "idempotency-key": `abort-${tag}` }));
    const session = await openRemoteSession(inject("databaseUrl"));
    const waiting = async () => {
      await session.query("select pg_stat_clear_snapshot()");
      const { rows } = await session.query(
        "select count(*) as n from pg_stat_activity where wait_event_type = 'Lock' and pg_backend_pid() = any(pg_blocking_pids(pid))",
      );
      return waiters.parse(rows)[0]?.n ?? 0;
    };
    try {
      await session.query("begin");
      await session.query("insert into users (id, email, role, password_hash) values (gen_random_uuid(), $1, 'viewer', 'x')", [body.email]);
      const first = post();
      while ((await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 20));

      const retryWhileRunning = await post();
      expect(retryWhileRunning.status).toBe(409);
      expect(retryWhileRunning.headers.get("retry-after")).toBe("1");

      const abandoned = await first;
      expect(abandoned.status).toBe(503);
      expect(await abandoned.json()).toMatchObject({ detail: expect.stringMatching(/took longer/) });
      // The abort reached Postgres: nothing waits on the session's insert any more, though it still holds it.
      const deadline = performance.now() + 2_000;
      while ((await waiting()) > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await waiting()).toBe(0);
    } finally {
      await session.query("rollback").catch(() => {});
      await session.end();
    }

    const retried = await post();
    expect(retried.status).toBe(201);
    expect(retried.headers.get("idempotency-replayed")).toBeNull();
    const replayed = await post();
    expect(replayed.headers.get("idempotency-replayed")).toBe("true");
    expect(await replayed.json()).toEqual(await retried.json());
    expect(await countUsers(target, tag)).toBe(1);
  });
});
