import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { matchedRoutes, routePath } from "hono/route";
import type { AppEnv } from "./context";
import type { Logger } from "./logger";
import { createQueryTimer } from "./query-timer";

/** What every request leaves behind for metrics: low-cardinality labels and two timings. */
export interface RequestSummary {
  method: string;
  /** The matched route template (`/api/v1/products/:id`), never the concrete path. */
  route: string;
  status: number;
  durationMs: number;
  dbTimeMs: number;
}

export interface RequestLogOptions {
  /** The client's address as the runtime knows it (`CF-Connecting-IP` on Workers, the socket peer on Node). */
  clientAddress: (c: Context<AppEnv>) => string;
  /** Called once per request after the response is ready: Prometheus on Node, Analytics Engine on Workers. */
  observe?: ((summary: RequestSummary) => void) | undefined;
}

const ms = (value: number) => Math.round(value * 100) / 100;

/**
 * The template of the route that answers: the first matched endpoint, since
 * endpoints run in the order they were registered and the first one answers
 * (`/users/me` before `/users/:id`, which also matches). Middleware is
 * registered for method ALL and skipped; a request no endpoint matched (404)
 * keeps the last middleware pattern it passed.
 */
const answeringRoute = (c: Context<AppEnv>) => matchedRoutes(c).find((route) => route.method !== "ALL")?.path ?? routePath(c, -1);

/**
 * One JSON line per request, written after the response is ready, and a
 * `Server-Timing` header (`db`, `total`) on every response, errors included:
 * errors become responses inside `next()`, so they pass through here too.
 */
export function requestLog(logger: Logger, { clientAddress, observe }: RequestLogOptions) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const started = performance.now();
    const timer = createQueryTimer();
    c.set("logger", logger);
    c.set("queryTimer", timer);
    await next();
    // Read now, not summed by the leases when they finish: a request its time budget
    // abandoned still has a query running, and that wait is what it should report.
    c.set("dbTimeMs", timer.elapsedMs());
    const summary: RequestSummary = {
      method: c.req.method,
      route: answeringRoute(c),
      status: c.res.status,
      durationMs: ms(performance.now() - started),
      dbTimeMs: ms(c.get("dbTimeMs")),
    };
    c.res.headers.set("Server-Timing", `db;dur=${summary.dbTimeMs}, total;dur=${summary.durationMs}`);
    const fields = {
      requestId: c.get("requestId"),
      ...summary,
      path: c.req.path,
      userId: c.get("principal")?.subject,
      clientIp: clientAddress(c),
    };
    if (summary.status >= 500) logger.error("request", fields);
    else logger.info("request", fields);
    observe?.(summary);
  });
}
