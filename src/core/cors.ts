import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";

/**
 * CORS for the configured origins only. Requests without `Origin`, and OPTIONS
 * that are not preflights, pass through (so OPTIONS can still report `Allow`).
 */
export function corsFor(allowedOrigins: readonly string[]) {
  const handle = cors({
    origin: (origin) => (allowedOrigins.includes(origin) ? origin : null),
    allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"],
    allowHeaders: ["Authorization", "Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Request-Id"],
    exposeHeaders: ["ETag", "Location", "Link", "X-Request-Id", "Retry-After"],
    credentials: false,
    maxAge: 600,
  });
  return createMiddleware(async (c, next) => {
    if (!c.req.header("origin")) return next();
    if (c.req.method === "OPTIONS" && !c.req.header("access-control-request-method")) return next();
    return handle(c, next);
  });
}
