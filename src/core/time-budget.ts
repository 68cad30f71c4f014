import type { MiddlewareHandler } from "hono";
import { runAfterResponse } from "./after-response";
import type { AppEnv } from "./context";
import { ApiError } from "./errors";

/**
 * Answers 503 `service_unavailable` when the rest of the chain takes longer
 * than `budgetMs`, instead of keeping the client (and a load balancer's slot)
 * waiting. The request body has already arrived (`limitBody` runs first, with
 * its own timer and a 408), so what this measures is the server's own work:
 * a 503 never stands for a client that stopped sending.
 *
 * What ends the abandoned work depends on the runtime. On Workers the
 * statements go over HTTP: the budget aborts their `fetch` (`deadline`), and
 * Neon's endpoint cancels a query whose client went away. On Node the shared
 * pool does not tie a backend to a request (cancelling would need its pid
 * first, another round trip on every query), so Postgres' own
 * `statement_timeout`, set on every connection and capped just past this budget
 * (`db/statement-timeout.ts`), ends it; a statement that started just before
 * the deadline may run up to one more budget. On Neon, the role's
 * `statement_timeout` is the backstop of both (README, "Health and readiness").
 */
export function timeBudget(budgetMs: number): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const deadline = new AbortController();
    c.set("deadline", deadline.signal);
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
    deadline.abort(new Error(`request budget of ${budgetMs} ms spent`));
    // Workers would cut the abandoned work off with the response; keep it alive until it settles.
    runAfterResponse(
      c,
      work.catch((error: unknown) => c.get("logger").warn("request failed after its time budget", { error })),
    );
    throw new ApiError("service_unavailable", `The request took longer than its ${budgetMs} ms budget and was abandoned; try again.`, {
      headers: { "Retry-After": "5" },
    });
  };
}
