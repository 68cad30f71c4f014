import { createMiddleware } from "hono/factory";
import type { AppEnv, ClaimedKey, IdempotencyScope } from "../../core/context";
import { ApiError } from "../../core/errors";
import type { Logger } from "../../core/logger";
import { PROBLEM_CONTENT_TYPE } from "../../core/problem";
import { retryIfDropped } from "../../db/retry";
import { IdempotencyRepository } from "./idempotency.repository";

/** Budget assumed when no time budget runs before this middleware (the app always sets one on `/api/v1`). */
const FALLBACK_STALE_AFTER_MS = 60_000;

const visibleAscii = /^[\x21-\x7e]{1,255}$/;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

function replay(status: number, body: unknown, headers: Record<string, string> | null): Response {
  const replayed = new Headers(headers ?? {});
  replayed.set("Content-Type", status >= 400 ? PROBLEM_CONTENT_TYPE : "application/json");
  replayed.set("Idempotency-Replayed", "true");
  return new Response(JSON.stringify(body), { status, headers: replayed });
}

/**
 * `Idempotency-Key` on a create: the first request with a key claims it; a
 * repeat with the same body gets the stored answer, with another body a 422,
 * and while the first still runs a 409. Keys are per user.
 *
 * The handler's repository stores the answer in the same statement that creates
 * the resource (`c.get("idempotency")`); this middleware keeps a conflict's
 * answer too, and gives the key back when nothing was created.
 */
export const honourIdempotencyKey = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return next();
  if (!visibleAscii.test(key)) {
    throw new ApiError("bad_request", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
  }
  const body = await c.req.text();
  const scope: IdempotencyScope = {
    userId: c.get("principal").subject,
    key,
    requestHash: await sha256Hex(`${c.req.method} ${c.req.path}\n${body}`),
  };
  const repository = new IdempotencyRepository(c.get("db"));
  const claim = await repository.claim(scope, c.get("requestBudgetMs") ?? FALLBACK_STALE_AFTER_MS);
  if (!claim.claimed) {
    const existing = claim.existing;
    if (existing && existing.requestHash !== scope.requestHash) {
      throw new ApiError("validation_failed", "This Idempotency-Key was already used with a different request.", {
        errors: [{ path: "Idempotency-Key", code: "reused", message: "Idempotency-Key was used with another body or path." }],
      });
    }
    if (existing?.state === "done" && existing.status !== null) return replay(existing.status, existing.response, existing.headers);
    // Still running (or given back a moment ago): the client should retry shortly.
    throw new ApiError("conflict", "A request with this Idempotency-Key is still being processed.", { headers: { "Retry-After": "1" } });
  }

  const claimed: ClaimedKey = { ...scope, token: claim.token };
  c.set("idempotency", claimed);
  await next();
  const status = c.res.status;
  if (status === 201) return; // stored by the create statement itself
  if (status === 409) {
    // A business conflict (e.g. taken sku) is an answer like any other: retries see it again.
    await repository.complete(claimed, status, await c.res.clone().json());
    return;
  }
  // Validation errors, outages, crashes: nothing was created, so the key is free again.
  await releaseKey(repository, claimed, c.get("logger"));
});

/**
 * Gives the key back, retrying when the connection dropped: a dropped
 * connection usually takes its pool siblings with it (a failover,
 * `pg_terminate_backend`), so the first attempt often lands on another dead
 * one, and a key not given back answers 409 to its client's retries until the
 * claim goes stale. Safe to repeat: it deletes only this request's claim.
 */
async function releaseKey(repository: IdempotencyRepository, claim: ClaimedKey, logger: Logger): Promise<void> {
  await retryIfDropped(() => repository.release(claim)).catch((error: unknown) =>
    logger.warn("releasing idempotency key failed", { error }),
  );
}
