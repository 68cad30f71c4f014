import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { unauthorized } from "./auth/middleware";
import type { AppEnv } from "./context";
import {
  type DatabaseRefusal,
  InvalidCursor,
  NotFound,
  StateConflict,
  StillReferenced,
  Taken,
  UnknownReference,
  VersionMismatch,
} from "./domain-errors";
import { ApiError } from "./errors";
import { fromHttpException, isHttpException, problemResponse } from "./problem";

/**
 * The HTTP problem a domain error (core/domain-errors.ts) stands for: the one place where the two meet.
 * Undefined for anything else, including a new DomainError nobody mapped yet: that stays a logged 500
 * rather than a guessed status.
 */
export function domainProblem(error: unknown): ApiError | undefined {
  if (error instanceof NotFound) return new ApiError("not_found", error.message);
  if (error instanceof VersionMismatch) return new ApiError("precondition_failed", error.message);
  if (error instanceof Taken) {
    return new ApiError("conflict", error.message, {
      errors: [{ path: error.field, code: "taken", message: `${error.field} is already in use.` }],
    });
  }
  if (error instanceof UnknownReference) {
    return new ApiError("validation_failed", error.message, {
      errors: [{ path: error.field, code: "not_found", message: `${error.field} does not exist.` }],
    });
  }
  if (error instanceof StillReferenced || error instanceof StateConflict) return new ApiError("conflict", error.message);
  if (error instanceof InvalidCursor) {
    return new ApiError("validation_failed", "The query string is not valid.", {
      errors: [{ path: "cursor", code: "invalid_cursor", message: error.message }],
    });
  }
  return undefined;
}

/**
 * Turns every thrown value into problem+json; only unexpected errors are logged at error level and none leaks.
 * `databaseRefusal` tells what a driver's error means (db/errors.ts, handed in by createApp, so that core/
 * does not depend on the database code).
 */
export function errorHandler(databaseRefusal: (error: unknown) => DatabaseRefusal | undefined): ErrorHandler<AppEnv> {
  return (error, c) => {
    if (error instanceof ApiError) return problemResponse(c, error);
    const domain = domainProblem(error);
    if (domain) return problemResponse(c, domain);
    if (isHttpException(error)) return problemResponse(c, fromHttpException(error));
    switch (databaseRefusal(error)) {
      case "stale_token":
        return problemResponse(c, unauthorized("The token was issued before a change to its user; sign in again.", true));
      case "role_too_low":
        return problemResponse(c, new ApiError("forbidden", "Your stored role does not allow this operation."));
      case "referenced":
        return problemResponse(c, new ApiError("conflict", "Other data refers to this resource, or a referenced resource does not exist."));
      case "unavailable":
        c.get("logger")?.warn("database unavailable", { requestId: c.get("requestId"), error });
        return problemResponse(
          c,
          new ApiError("service_unavailable", "The database is unavailable; try again shortly.", { headers: { "Retry-After": "1" } }),
        );
      case undefined:
        c.get("logger")?.error("unhandled error", { requestId: c.get("requestId"), error });
        return problemResponse(c, new ApiError("internal_error", "An unexpected error occurred. Quote the requestId when reporting it."));
    }
  };
}

export interface KnownRoute {
  method: string;
  /** OpenAPI-style path, e.g. `/api/v1/products/{id}`. */
  path: string;
}

function toMatcher(path: string): RegExp {
  const pattern = path
    .split("/")
    .map((segment) => (/^\{.+\}$/.test(segment) ? "[^/]+" : segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  // Exact, as the router matches: `/users/` is no route of `/users`, so it is a 404 rather than a 405 naming the very method.
  return new RegExp(`^${pattern}$`);
}

/**
 * 404 for unknown paths; 405 with `Allow` for a known path and another method.
 * OPTIONS on a known path (not a CORS preflight, which CORS answers first) lists the methods.
 */
export function createNotFoundHandler(routes: KnownRoute[]): NotFoundHandler<AppEnv> {
  const byPath = new Map<string, { matcher: RegExp; methods: Set<string> }>();
  for (const route of routes) {
    const entry = byPath.get(route.path) ?? { matcher: toMatcher(route.path), methods: new Set<string>() };
    entry.methods.add(route.method.toUpperCase());
    if (route.method.toUpperCase() === "GET") entry.methods.add("HEAD");
    byPath.set(route.path, entry);
  }
  return (c: Context<AppEnv>) => {
    const path = c.req.path;
    const match = [...byPath.values()].find((entry) => entry.matcher.test(path));
    if (!match) return problemResponse(c, new ApiError("not_found", `No resource at ${path}.`));
    const allow = [...match.methods, "OPTIONS"].join(", ");
    if (c.req.method === "OPTIONS") return c.body(null, 204, { Allow: allow });
    return problemResponse(
      c,
      new ApiError("method_not_allowed", `${c.req.method} is not allowed on ${path}.`, { headers: { Allow: allow } }),
    );
  };
}
