import { createMiddleware } from "hono/factory";

/** The API serves only JSON: nothing may load, frame or run. Docs pages set their own policy. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export const securityHeaders = createMiddleware(async (c, next) => {
  await next();
  const headers = c.res.headers;
  headers.set("X-Content-Type-Options", "nosniff");
  headers.set("Referrer-Policy", "no-referrer");
  headers.set("X-Frame-Options", "DENY");
  headers.set("Cross-Origin-Resource-Policy", "same-origin");
  if (!headers.has("Content-Security-Policy")) headers.set("Content-Security-Policy", API_CSP);
  // HSTS is meaningful only over TLS; on plain http it would be ignored or, behind a proxy, misleading.
  // A request's URL is already normalised (lower-case scheme), so no URL parse is needed to read it.
  if (c.req.url.startsWith("https:") || c.req.header("x-forwarded-proto") === "https") {
    headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  }
});
