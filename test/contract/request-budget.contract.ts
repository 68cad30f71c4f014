import { describe, expect, it } from "vitest";
import { lockRow, type SqlSession } from "../harness/row-lock";
import { type ContractTarget, json, uniqueTag, userInput } from "./target";

/**
 * `target` runs with REQUEST_TIMEOUT_MS = `budgetMs`. A PATCH (of a user: every service
 * has them) stuck behind a row lock must answer 503 near the budget, and its UPDATE
 * must stop waiting (cancelled) while the lock is still held, changing nothing.
 */
export function requestBudgetContract(target: ContractTarget, budgetMs: number, openSession: () => Promise<SqlSession>) {
  describe(`request time budget (${target.runtime})`, () => {
    it("answers 503 when a request outlives its budget and cancels its database work", async ({ annotate }) => {
      const created = await target.fetch("/api/v1/users", json(userInput(uniqueTag())));
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const lock = await lockRow(await openSession(), "users", id);
      try {
        const started = performance.now();
        const pending = target.fetch(`/api/v1/users/${id}`, json({ role: "editor" }, "PATCH"));
        await lock.untilWaiting();
        const response = await pending;
        const elapsed = performance.now() - started;

        expect(response.status).toBe(503);
        expect(response.headers.get("content-type")).toBe("application/problem+json");
        expect(response.headers.get("retry-after")).not.toBeNull();
        expect(await response.json()).toMatchObject({ code: "service_unavailable", detail: expect.stringMatching(/took longer/) });
        expect(elapsed).toBeGreaterThanOrEqual(budgetMs - 5);
        expect(elapsed).toBeLessThan(budgetMs + 500);
        // The lock is still held: only a cancellation can have ended the UPDATE's wait.
        const cancelledAfter = await lock.untilNobodyWaits(budgetMs + 1_000);
        await annotate(
          `503 after ${elapsed.toFixed(0)} ms (budget ${budgetMs} ms); the UPDATE stopped waiting ${cancelledAfter.toFixed(0)} ms later`,
          "measured",
        );
      } finally {
        await lock.release();
      }

      const after = await target.fetch(`/api/v1/users/${id}`);
      expect(await after.json()).toMatchObject({ role: "viewer" });
      // The connection the cancelled statement used serves the next request normally.
      const patched = await target.fetch(`/api/v1/users/${id}`, json({ role: "editor" }, "PATCH"));
      expect(patched.status).toBe(200);
      expect(await patched.json()).toMatchObject({ role: "editor" });
    });
  });
}
