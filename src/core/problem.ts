import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./context";
import { ApiError, type ProblemCode, problemStatus, problemTitles } from "./errors";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/**
 * `type` URI of a problem code: under the configured public URL, else the relative
 * `/problems/<code>`. Never from the request's Host, which any client can set.
 */
export function problemType(code: ProblemCode, publicUrl: string | undefined): string {
  return `${publicUrl ?? ""}/problems/${code}`;
}

/** The RFC 9457 body of every problem the service answers, whoever answers it (the app, the Node server, the Worker's entry). */
export function problemBody(
  code: ProblemCode,
  detail: string,
  { publicUrl, instance, requestId }: { publicUrl: string | undefined; instance: string; requestId: string | undefined },
) {
  return { type: problemType(code, publicUrl), title: problemTitles[code], status: problemStatus[code], detail, instance, code, requestId };
}

/** Renders an ApiError as RFC 9457 problem+json carrying the request id. */
export function problemResponse(c: Context<AppEnv>, error: ApiError): Response {
  const body = {
    ...problemBody(error.code, error.detail, { publicUrl: c.get("publicUrl"), instance: c.req.path, requestId: c.get("requestId") }),
    ...error.options.extensions,
    ...(error.options.errors ? { errors: error.options.errors } : {}),
  };
  const headers = new Headers(error.options.headers);
  headers.set("Content-Type", PROBLEM_CONTENT_TYPE);
  const requestId = c.get("requestId");
  if (requestId) headers.set("X-Request-Id", requestId);
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/**
 * Maps Hono's own HTTPExceptions (thrown by its validators and middleware) to
 * the contract's codes, so callers never see a framework-specific body.
 */
export function fromHttpException(error: HTTPException): ApiError {
  switch (error.status) {
    case 400:
      // Hono's json validator rejects a non-JSON Content-Type with a 400; the contract says 415.
      if (/content-type/i.test(error.message)) {
        return new ApiError("unsupported_media_type", "The request body must be JSON.");
      }
      return new ApiError("bad_request", /json/i.test(error.message) ? "The request body is not valid JSON." : "The request is malformed.");
    case 413:
      return new ApiError("payload_too_large", "The request body is larger than allowed.");
    case 415:
      return new ApiError("unsupported_media_type", "The request body has an unsupported Content-Type.");
    default: {
      const code = (Object.keys(problemStatus) as ProblemCode[]).find((key) => problemStatus[key] === error.status);
      return new ApiError(code ?? "internal_error", code ? error.message || problemTitles[code] : "An unexpected error occurred.");
    }
  }
}

export function isHttpException(error: unknown): error is HTTPException {
  return error instanceof HTTPException;
}
