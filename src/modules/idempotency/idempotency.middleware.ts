import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../core/errors";
import { PROBLEM_CONTENT_TYPE } from "../../core/problem";
import { IdempotencyRepository, KeyAnswered, KeyInUse } from "./idempotency.repository";
import type { IdempotencyRow } from "./idempotency.table";
import type { IdempotencyScope } from "./idempotency-scope";

const visibleAscii = /^[\x21-\x7e]{1,255}$/;

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The stored answer again, or 422 when the key was used for another request. */
function replay(stored: IdempotencyRow, scope: IdempotencyScope): Response {
  if (stored.requestHash !== scope.requestHash) {
    throw new ApiError("validation_failed", "This Idempotency-Key was already used with a different request.", {
      errors: [{ path: "Idempotency-Key", code: "reused", message: "Idempotency-Key was used with another body or path." }],
    });
  }
  const headers = new Headers(stored.headers);
  headers.set("Content-Type", stored.status >= 400 ? PROBLEM_CONTENT_TYPE : "application/json");
  headers.set("Idempotency-Replayed", "true");
  return new Response(JSON.stringify(stored.response), { status: stored.status, headers });
}

/**
 * `Idempotency-Key` on a create: a repeat with the same body gets the stored
 * answer, with another body a 422, and while the first still runs a 409.
 * Keys are per user.
 *
 * Nothing is read or written before the handler: its repository creates the
 * resource and stores the answer in one statement (`c.get("idempotency")`,
 * `IdempotencyRepository.createWithAnswer`), which also finds out whether the
 * key is in use or answered. So a first request costs one round trip; a
 * replay, two. This middleware turns those outcomes into answers, and keeps a
 * conflict's answer too.
 */
export const honourIdempotencyKey = createMiddleware<AppEnv>(async (c, next) => {
  const key = c.req.header("idempotency-key");
  if (key === undefined) return next();
  if (!visibleAscii.test(key)) {
    throw new ApiError("bad_request", "Idempotency-Key must be 1 to 255 visible ASCII characters.");
  }
  const body = await c.req.text();
  const { subject, issuer } = c.get("principal");
  const scope: IdempotencyScope = {
    // An external subject is only unique within its issuer: `<issuer>#<sub>` can never equal
    // a local user id (a bare UUID), nor the same `sub` from another issuer.
    userId: issuer === undefined ? subject : `${issuer}#${subject}`,
    key,
    requestHash: await sha256Hex(`${c.req.method} ${c.req.path}\n${body}`),
  };
  c.set("idempotency", scope);
  await next();
  if (c.error instanceof KeyAnswered) {
    c.res = replay(c.error.stored, scope);
    return;
  }
  // 201: stored by the create statement. Still running elsewhere (KeyInUse), validation errors,
  // outages: nothing was stored and the key stays free for the client's retry.
  if (c.res.status !== 409 || c.error instanceof KeyInUse) return;
  // A business conflict (e.g. a taken sku) is an answer like any other: retries see it again.
  await new IdempotencyRepository(c.get("db")).keep(scope, 409, await c.res.clone().json());
});
