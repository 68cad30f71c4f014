import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./context";

const saneRequestId = /^[A-Za-z0-9._:-]{1,128}$/;

/** Keeps the caller's `X-Request-Id` when it is sane, otherwise mints one; echoes it back. */
export const requestId = createMiddleware<AppEnv>(async (c, next) => {
  const offered = c.req.header("x-request-id");
  const id = offered && saneRequestId.test(offered) ? offered : crypto.randomUUID();
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
  // Error handlers build fresh responses; make sure the header survives them.
  c.res.headers.set("X-Request-Id", id);
});
