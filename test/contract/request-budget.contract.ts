import { describe, expect, it } from "vitest";
import { lockProduct, type SqlSession } from "../harness/row-lock";
import { type ContractTarget, json, productInput, uniqueTag } from "./target";

/**
 * `target` runs with REQUEST_TIMEOUT_MS = `budgetMs`. A PATCH stuck behind a
 * row lock must answer 503 near the budget, and its UPDATE must stop waiting
 * (cancelled) while the lock is still held, changing nothing.
 */
export function requestBudgetContract(target: ContractTarget, budgetMs: number, openSession: () => Promise<SqlSession>) {
  describe(`request time budget (${target.runtime})`, () => {
    it("answers 503 when a request outlives its budget and cancels its database work", async ({ annotate }) => {
      const created = await target.fetch("/api/v1/products", json(productInput(uniqueTag(), { priceCents: 100 })));
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const lock = await lockProduct(await openSession(), id);
      try {
        const started = performance.now();
        const pending = target.fetch(`/api/v1/products/${id}`, json({ priceCents: 200 }, "PATCH"));
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

      const after = await target.fetch(`/api/v1/products/${id}`);
      expect(await after.json()).toMatchObject({ priceCents: 100, version: 1 });
      // The connection the cancelled statement used serves the next request normally.
      const patched = await target.fetch(`/api/v1/products/${id}`, json({ priceCents: 300 }, "PATCH"));
      expect(patched.status).toBe(200);
      expect(await patched.json()).toMatchObject({ priceCents: 300, version: 2 });
    });
  });
}
