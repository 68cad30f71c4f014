import { z } from "@hono/zod-openapi";
import { type ProblemCode, problemStatus, problemTitles } from "./errors";
import { PROBLEM_CONTENT_TYPE } from "./problem";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      description: "`<PUBLIC_URL>/problems/<code>`, or the relative `/problems/<code>` where no public URL is configured.",
      example: "https://api.example.com/problems/validation_failed",
    }),
    title: z.string().openapi({ example: "Validation failed" }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: "The request body is not valid." }),
    instance: z.string().openapi({ example: "/api/v1/products" }),
    code: z.enum(Object.keys(problemStatus) as [ProblemCode, ...ProblemCode[]]),
    requestId: z.string().openapi({ example: "01HZX3J9K2M4N6P8Q0R2S4T6V8" }),
    errors: z
      .array(
        z.object({
          path: z.string().openapi({ example: "priceCents" }),
          message: z.string().openapi({ example: "Too big: expected number to be <=2147483647" }),
          code: z.string().openapi({ example: "too_big" }),
        }),
      )
      .optional()
      .openapi({ description: "Present on validation_failed: one entry per invalid field." }),
  })
  .openapi("Problem", { description: "RFC 9457 problem details." });

const descriptions: Partial<Record<ProblemCode, string>> = {
  unauthorized: "Missing, malformed, expired or wrongly signed bearer token (`WWW-Authenticate: Bearer`).",
  forbidden: "The token is valid but its role is too low for this operation.",
  rate_limited: "Too many attempts; wait `Retry-After` seconds.",
  bad_request: "Malformed JSON or a malformed header.",
  not_found: "No such resource.",
  conflict: "The request conflicts with the current state (e.g. a unique field is taken).",
  precondition_failed: "`If-Match` does not match the current version; nothing was changed.",
  payload_too_large: "The body is larger than the configured limit (64 KiB by default).",
  unsupported_media_type: "The body is not JSON.",
  validation_failed: "A parameter or field is invalid; `errors` lists each one.",
  internal_error: "An unexpected error; the body never contains internals.",
  service_unavailable: "The database is unreachable or slow, or the request outlived its time budget; retry later.",
};

const requestIdHeader = {
  "X-Request-Id": { description: "Echo of the request id, also in the body.", schema: { type: "string" as const } },
};

/** OpenAPI `responses` entries for the given problem codes. */
export function problemResponses<const C extends ProblemCode>(...codes: C[]) {
  const responses: Record<
    string,
    { description: string; headers: Record<string, unknown>; content: Record<string, { schema: typeof ProblemSchema }> }
  > = {};
  for (const code of codes) {
    const headers: Record<string, unknown> = { ...requestIdHeader };
    if (code === "unauthorized") headers["WWW-Authenticate"] = { description: "Bearer challenge (RFC 6750).", schema: { type: "string" } };
    if (code === "method_not_allowed") headers.Allow = { description: "Methods the path supports.", schema: { type: "string" } };
    if (code === "rate_limited" || code === "service_unavailable")
      headers["Retry-After"] = { description: "Seconds to wait.", schema: { type: "integer" } };
    responses[String(problemStatus[code])] = {
      description: descriptions[code] ?? problemTitles[code],
      headers,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    };
  }
  // TypeScript cannot follow a mapped type built in a loop; the loop above fills exactly these keys.
  return responses as unknown as {
    [K in C as (typeof problemStatus)[K]]: {
      description: string;
      content: { "application/problem+json": { schema: typeof ProblemSchema } };
    };
  };
}

/** Problems of every operation behind a bearer token. */
export const authProblems = ["unauthorized", "forbidden"] as const;

/** Per-operation `security`: the OAuth2 password flow (Swagger UI's Authorize) or a bearer JWT from elsewhere. */
export const bearerSecurity = [{ oauth2: [] }, { bearer: [] }];

/** Problems any `/api` operation can answer with, whatever its input. */
export const commonProblems = ["bad_request", "internal_error", "service_unavailable"] as const;

/**
 * `If-Match` / `If-None-Match`, documented as plain OpenAPI parameters rather
 * than zod schemas: every header value is a string, so a schema could never
 * refuse one, yet each request paid for it (Hono's header validator copies and
 * lower-cases every request header, then zod parses them: ~5 µs of a GET by
 * id's CPU in `npm run bench`). Handlers read them with `c.req.header()`.
 */
export function conditionalHeader(name: "If-Match" | "If-None-Match", description: string) {
  return { name, in: "header" as const, required: false, description, schema: { type: "string" as const } };
}

/** The `Idempotency-Key` request header of create operations. */
export const IdempotencyKeyHeaders = z.object({
  "idempotency-key": z
    .string()
    .min(1)
    .max(255)
    .optional()
    .openapi({
      param: {
        description:
          "1..255 visible ASCII characters, scoped to the caller. Repeating a request with the same key and body returns the stored answer " +
          "(with `Idempotency-Replayed: true`) and creates nothing; the same key with another body is 422; while the first request runs, 409. Keys are kept 24 hours.",
      },
      example: "6f1c2a0e-order-42",
    }),
});

export const idempotencyReplayedHeader = {
  "Idempotency-Replayed": {
    description: "`true` when this is the stored answer to an earlier request with the same Idempotency-Key.",
    schema: { type: "string" as const },
  },
};
