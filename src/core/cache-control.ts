import { createMiddleware } from "hono/factory";

/**
 * The caching policy of `/api/v1` answers, which all depend on the caller
 * (their token, their role): a handler's own `Cache-Control` stands (the token
 * endpoints say `no-store`); otherwise a problem (status ≥ 400) is `no-store`,
 * nothing in it is worth keeping, and any other answer is `private, no-cache`:
 * no shared cache keeps it, and a private one revalidates it each time (with
 * its ETag, `If-None-Match` still gets a 304). A `no-store` answer also carries
 * `Pragma: no-cache` for HTTP/1.0 caches, as RFC 6749 §5.1 asks of token answers.
 *
 * @example app.use("/api/v1/*", cacheControl);
 */
export const cacheControl = createMiddleware(async (c, next) => {
  await next();
  const headers = c.res.headers;
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", c.res.status >= 400 ? "no-store" : "private, no-cache");
  if (headers.get("Cache-Control") === "no-store" && !headers.has("Pragma")) headers.set("Pragma", "no-cache");
});
