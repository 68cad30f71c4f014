import { createMiddleware } from "hono/factory";
import { routePath } from "hono/route";
import type { AppEnv } from "./context";
import type { Logger } from "./logger";

/** One JSON line per request, written after the response is ready. */
export function requestLog(logger: Logger) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    c.set("logger", logger);
    c.set("dbTimeMs", 0);
    await next();
    const status = c.res.status;
    const fields = {
      requestId: c.get("requestId"),
      method: c.req.method,
      route: routePath(c, -1),
      path: c.req.path,
      status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      userId: c.get("principal")?.subject,
      clientIp: c.req.header("cf-connecting-ip") ?? undefined,
    };
    if (status >= 500) logger.error("request", fields);
    else logger.info("request", fields);
  });
}
