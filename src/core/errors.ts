import type { ContentfulStatusCode } from "hono/utils/http-status";

/** Machine codes of every problem the API can answer with, and their HTTP status. */
export const problemStatus = {
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  request_timeout: 408,
  conflict: 409,
  precondition_failed: 412,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  headers_too_large: 431,
  internal_error: 500,
  service_unavailable: 503,
} as const satisfies Record<string, ContentfulStatusCode>;

export type ProblemCode = keyof typeof problemStatus;

export const problemTitles: Record<ProblemCode, string> = {
  bad_request: "Bad request",
  unauthorized: "Unauthorized",
  forbidden: "Forbidden",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  request_timeout: "Request timeout",
  conflict: "Conflict",
  precondition_failed: "Precondition failed",
  payload_too_large: "Payload too large",
  unsupported_media_type: "Unsupported media type",
  validation_failed: "Validation failed",
  rate_limited: "Too many requests",
  headers_too_large: "Request header fields too large",
  internal_error: "Internal server error",
  service_unavailable: "Service unavailable",
};

export interface FieldError {
  path: string;
  message: string;
  code: string;
}

/**
 * The one exception type handlers and middleware throw for an expected failure.
 * `app.onError` turns it into problem+json; anything else becomes a 500.
 */
export class ApiError extends Error {
  override name = "ApiError";
  readonly status: ContentfulStatusCode;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly options: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
    } = {},
  ) {
    super(detail);
    this.status = problemStatus[code];
  }
}

export const notFound = (what: string) => new ApiError("not_found", `${what} was not found.`);

export const validationFailed = (errors: FieldError[], detail = "The request is not valid.") =>
  new ApiError("validation_failed", detail, { errors });
