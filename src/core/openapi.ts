import { z } from "@hono/zod-openapi";
import { type ProblemCode, problemStatus } from "./errors";
import { PROBLEM_CONTENT_TYPE } from "./problem";
import { problemCodes, problemDescriptions } from "./problem-types";

export const ProblemSchema = z
  .object({
    type: z.string().openapi({
      description:
        "`<PUBLIC_URL>/problems/<code>`, or the relative `/problems/<code>` where no public URL is configured: `GET` it to learn what the problem means.",
      example: "https://api.example.com/problems/validation_failed",
    }),
    title: z.string().openapi({ example: "Validation failed" }),
    status: z.number().int().openapi({ example: 422 }),
    detail: z.string().openapi({ example: "The request body is not valid." }),
    instance: z.string().openapi({ example: "/api/v1/products" }),
    code: z.enum(problemCodes),
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

const stringHeader = (description: string, values?: readonly string[]) => ({
  description,
  required: true,
  schema: values ? { type: "string" as const, enum: [...values] } : { type: "string" as const },
});

/** Every answer carries its request id. */
const requestIdHeader = {
  "X-Request-Id": stringHeader(
    "The request's id: the client's own when sane (up to 128 of `A-Za-z0-9._:-`), else a new one; also in problem bodies and the log line.",
  ),
};

/**
 * Every `/api/v1` answer depends on its caller (their token, their role), so none may be kept by a
 * shared cache: a success is `private, no-cache` (a private cache revalidates it with its ETag),
 * a problem `no-store` (`core/cache-control.ts`).
 */
const privateNoCache = {
  "Cache-Control": stringHeader("`private, no-cache`: the answer depends on the caller; revalidate (ETag) before reuse.", [
    "private, no-cache",
  ]),
};
const problemNoStore = { "Cache-Control": stringHeader("`no-store`: a refusal is never worth keeping.", ["no-store"]) };

/** Headers of a successful `/api/v1` answer; spread them into its `headers`. */
export const apiSuccessHeaders = { ...requestIdHeader, ...privateNoCache };

/** Headers of an answer that carries tokens (RFC 6749 §5.1): never stored anywhere. */
export const tokenAnswerHeaders = {
  ...requestIdHeader,
  "Cache-Control": stringHeader("`no-store`: tokens are never cached.", ["no-store"]),
  Pragma: stringHeader("`no-cache`, for HTTP/1.0 caches.", ["no-cache"]),
};

/** Headers of a successful answer outside `/api/v1` (health, readiness). */
export const operationalSuccessHeaders = requestIdHeader;

type ProblemResponses<C extends ProblemCode> = {
  [K in C as (typeof problemStatus)[K]]: {
    description: string;
    content: { "application/problem+json": { schema: typeof ProblemSchema } };
  };
};

function buildProblemResponses<C extends ProblemCode>(codes: C[], baseHeaders: Record<string, unknown>): ProblemResponses<C> {
  const responses: Record<
    string,
    { description: string; headers: Record<string, unknown>; content: Record<string, { schema: typeof ProblemSchema }> }
  > = {};
  for (const code of codes) {
    const headers: Record<string, unknown> = { ...baseHeaders };
    if (code === "unauthorized") headers["WWW-Authenticate"] = stringHeader("Bearer challenge (RFC 6750).");
    if (code === "method_not_allowed") headers.Allow = stringHeader("Methods the path supports, e.g. `GET, HEAD, POST, OPTIONS`.");
    if (code === "rate_limited" || code === "service_unavailable")
      headers["Retry-After"] = { description: "Seconds to wait.", required: true, schema: { type: "integer", minimum: 0 } };
    responses[String(problemStatus[code])] = {
      description: problemDescriptions[code],
      headers,
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    };
  }
  // TypeScript cannot follow a mapped type built in a loop; the loop above fills exactly these keys.
  return responses as unknown as ProblemResponses<C>;
}

/** OpenAPI `responses` entries of an `/api/v1` operation for the given problem codes. */
export function problemResponses<const C extends ProblemCode>(...codes: C[]) {
  return buildProblemResponses(codes, { ...requestIdHeader, ...problemNoStore });
}

/** The same for the operational endpoints outside `/api/v1` (health, readiness), which set no `Cache-Control`. */
export function operationalProblemResponses<const C extends ProblemCode>(...codes: C[]) {
  return buildProblemResponses(codes, requestIdHeader);
}

/** Problems of every operation behind a bearer token. */
export const authProblems = ["unauthorized", "forbidden"] as const;

/**
 * Refusals any request can meet before it reaches an operation: the HTTP server's (Node: malformed
 * framing 400, header fields over its limit 431) and the router's (another method on a known path, 405).
 */
export const transportProblems = ["bad_request", "method_not_allowed", "headers_too_large"] as const;

/**
 * Every method but GET and HEAD has its body received first (`core/body-limit.ts`), whether or not the
 * operation reads one: over the size limit 413, stalled 408.
 */
export const bodyProblems = ["payload_too_large", "request_timeout"] as const;

/** Per-operation `security`: the OAuth2 password flow (Swagger UI's Authorize) or a bearer JWT from elsewhere. */
export const bearerSecurity = [{ oauth2: [] }, { bearer: [] }];

/** Problems any `/api` operation can answer with, whatever its input. */
export const commonProblems = [...transportProblems, "internal_error", "service_unavailable"] as const;

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

/**
 * Patterns for refinements zod cannot describe by itself, so that the document is as strict as the
 * validation: Postgres text cannot hold NUL, and a trimmed field must not be blank.
 */
export const NO_NUL_PATTERN = "^[^\\u0000]*$";
export const NOT_BLANK_NO_NUL_PATTERN = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$";

/** A UUID path parameter: the document names zod's own pattern (versions 1–8, nil and max), stricter than `format: uuid`. */
export function uuidParam(description: string) {
  return z.uuid().openapi({
    param: { description },
    pattern: z.regexes.uuid().source,
    example: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f",
  });
}

/** The `Idempotency-Key` request header of create operations. */
export const IdempotencyKeyHeaders = z.object({
  // The middleware (honourIdempotencyKey) runs first and refuses any other key with 400; this states its rule.
  "idempotency-key": z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/)
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
    schema: { type: "string" as const, enum: ["true"] },
  },
};
