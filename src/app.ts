import { OpenAPIHono } from "@hono/zod-openapi";
import type { Config } from "./config";
import { runAfterResponse } from "./core/after-response";
import { limitBody } from "./core/body-limit";
import type { AppEnv } from "./core/context";
import { corsFor } from "./core/cors";
import { registerDocs } from "./core/docs";
import { createNotFoundHandler, handleError } from "./core/error-handler";
import { ApiError } from "./core/errors";
import { createLogger, type Logger } from "./core/logger";
import { requestId } from "./core/request-id";
import { requestLog } from "./core/request-log";
import { securityHeaders } from "./core/security-headers";
import { validationHook } from "./core/validation";
import type { OpenDatabase } from "./db/database";
import { healthRouter } from "./modules/health";
import { productsRouter } from "./modules/products";

export interface AppDependencies {
  config: Config;
  /** Opens the database for one request; undefined when no DATABASE_URL is configured. */
  openDatabase?: OpenDatabase | undefined;
  logger?: Logger;
}

export const API_PREFIX = "/api/v1";

/** Composes the whole service. Pure: no I/O happens until a request arrives. */
export function createApp({ config, openDatabase, logger = createLogger(config.LOG_LEVEL) }: AppDependencies) {
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });

  app.use(requestId);
  app.use(requestLog(logger));
  app.use(securityHeaders);
  app.use(corsFor(config.CORS_ORIGINS));

  app.use(`${API_PREFIX}/*`, limitBody(config.MAX_BODY_BYTES));
  app.use(`${API_PREFIX}/*`, async (c, next) => {
    if (!openDatabase) {
      throw new ApiError("service_unavailable", "No database is configured for this service.", { headers: { "Retry-After": "30" } });
    }
    const lease = openDatabase();
    c.set("db", lease.db);
    try {
      await next();
    } finally {
      runAfterResponse(c, lease.release());
    }
  });

  const routes = app.route("/", healthRouter(config, openDatabase)).route(`${API_PREFIX}/products`, productsRouter);

  registerDocs(app, config);
  app.onError(handleError);
  app.notFound(createNotFoundHandler(knownRoutes(app)));
  return routes;
}

/** Every documented operation, so unknown methods on known paths get 405 instead of 404. */
function knownRoutes(app: OpenAPIHono<AppEnv>) {
  return app.openAPIRegistry.definitions.flatMap((definition) =>
    definition.type === "route" ? [{ method: definition.route.method, path: definition.route.path }] : [],
  );
}

export type App = ReturnType<typeof createApp>;
/** The type the typed client (`src/client.ts`) is built from. */
export type AppType = App;
