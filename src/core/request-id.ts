import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

const saneRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps the caller's `X-Request-Id` when it is sane, otherwise mints one; echoes it back. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const offered = c.req.header("x-request-id");
  const id = offered && saneRequestId.test(offered) ? offered : crypto.randomUUID();
  c.set("requestId", id);
  await next();
  // Set on the final response: error handlers build fresh ones.
  c.res.headers.set("X-Request-Id", id);
});
