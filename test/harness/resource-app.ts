// An app around routers of a test's own (CRUD kit resources over test-only tables), with the middleware
// `createApp` runs on `/api/v1` that the kit's routes need: request id and log, caching headers, bearer
// tokens, the request's database, the validation hook and the one error handler. createApp mounts a fixed
// list of modules, so a resource that exists only in a test is mounted here instead.
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Schema } from "hono";
import { inject } from "vitest";
import { loadConfig } from "../../src/config";
import { createTokenVerifier } from "../../src/core/auth/jwt";
import { authenticate } from "../../src/core/auth/middleware";
import type { Role } from "../../src/core/auth/roles";
import { cacheControl } from "../../src/core/cache-control";
import type { AppEnv } from "../../src/core/context";
import { databaseLease } from "../../src/core/database-lease";
import { errorHandler } from "../../src/core/error-handler";
import { createLogger } from "../../src/core/logger";
import { requestId } from "../../src/core/request-id";
import { requestLog } from "../../src/core/request-log";
import { validationHook } from "../../src/core/validation";
import { databaseRefusal } from "../../src/db/errors";
import { createNodeDatabase, type NodeDatabase } from "../../src/db/node";
import { type CheckedDocument, createResponseChecker } from "../contract/openapi-check";
import { BASE_URL, testJwtSettings, tokenFor } from "../contract/target";

export const API_PREFIX = "/api/v1";

export interface ResourceApp {
  /** Sends a request as the role's seeded test user (or with no token); every answer is checked against `document`. */
  as(who: Role | "anonymous"): (path: string, init?: RequestInit) => Promise<Response>;
  /** The OpenAPI document of the mounted routers, as the app would serve it. */
  document: CheckedDocument;
  database: NodeDatabase;
  close(): Promise<void>;
}

/** Mounts each router under `/api/v1/<path>` over node-postgres on the run's test database. */
export function resourceApp(routers: Record<string, OpenAPIHono<AppEnv, Schema, "/">>): ResourceApp {
  const config = loadConfig({ DATABASE_URL: inject("databaseUrl"), ENVIRONMENT: "test", LOG_LEVEL: "silent" });
  const logger = createLogger(config.LOG_LEVEL);
  const database = createNodeDatabase({ ...config, DATABASE_URL: config.DATABASE_URL ?? "" }, logger);
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
  app.use(requestId);
  app.use(requestLog(logger, { clientAddress: () => "test" }));
  app.use(`${API_PREFIX}/*`, cacheControl);
  app.use(`${API_PREFIX}/*`, authenticate({ verify: createTokenVerifier(testJwtSettings) }));
  app.use(`${API_PREFIX}/*`, databaseLease(database.open));
  for (const [path, router] of Object.entries(routers)) app.route(`${API_PREFIX}/${path}`, router);
  app.onError(errorHandler(databaseRefusal));

  // Through JSON, as a client reads the served document.
  const document = JSON.parse(
    JSON.stringify(app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "Test resources", version: "test" } })),
  ) as CheckedDocument;
  const checker = createResponseChecker(document);
  return {
    as: (who) => async (path, init) => {
      const request = new Request(new URL(path, BASE_URL), init);
      if (who !== "anonymous") request.headers.set("authorization", `Bearer ${await tokenFor(who)}`);
      const response = await app.fetch(request);
      await checker.check({ method: request.method, url: request.url }, response.clone());
      return response;
    },
    document,
    database,
    close: () => database.close(),
  };
}
