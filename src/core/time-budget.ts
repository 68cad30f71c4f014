import type { MiddlewareHandler } from "hono";
import { runAfterResponse } from "./after-response";
import type { AppEnv } from "./context";
import { ApiError } from "./errors";

/**
 * Answers 503 `service_unavailable` when the rest of the chain takes longer
 * than `budgetMs`, instead of keeping the client (and a load balancer's slot)
 * waiting.
 *
 * The abandoned handler keeps running until its current statement ends; what
 * ends that statement is Postgres' own `statement_timeout`, set on every
 * connection and capped at this budget (`db/statement-timeout.ts`). We chose
 * that over cancelling from here because it works the same on both runtimes
 * and needs no bookkeeping: on Node the shared pool does not tie a backend to
 * a request (so `pg_cancel_backend` would need its pid first, i.e. another
 * round trip on every query), and closing the socket does not stop a backend
 * waiting on a lock, which notices a vanished client only when it next talks
 * to it. The cost: a statement that started just before the deadline may run
 * up to one more budget.
 */
export function timeBudget(budgetMs: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    c.set("requestBudgetMs", budgetMs);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const expired = new Promise<"expired">((resolve) => {
      timer = setTimeout(() => resolve("expired"), budgetMs);
    });
    const work = next();
    try {
      if ((await Promise.race([work, expired])) !== "expired") return;
    } finally {
      clearTimeout(timer);
    }
    // Workers would cut the abandoned work (and its lease release) off with the response; keep it alive.
    runAfterResponse(
      c,
      work.catch((error: unknown) => c.get("logger").warn("request failed after its time budget", { error })),
    );
    throw new ApiError("service_unavailable", `The request took longer than its ${budgetMs} ms budget and was abandoned; try again.`, {
      headers: { "Retry-After": "5" },
    });
  };
}
