import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context, Handler } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import type { Config } from "./config";
import { createTokenVerifier, type ExternalIdpSettings, type JwtSettings } from "./core/auth/jwt";
import { authenticate } from "./core/auth/middleware";
import { limitBody } from "./core/body-limit";
import { cacheControl } from "./core/cache-control";
import type { AppEnv } from "./core/context";
import { corsFor } from "./core/cors";
import { databaseLease } from "./core/database-lease";
import { registerDocs } from "./core/docs";
import { createNotFoundHandler, errorHandler } from "./core/error-handler";
import { refuseNonUnicodeJson } from "./core/json-body";
import { createLogger, type Logger } from "./core/logger";
import { publicUrl } from "./core/public-url";
import { createFailureBackoff } from "./core/rate-limit";
import { requestId } from "./core/request-id";
import { type RequestSummary, requestLog } from "./core/request-log";
import { securityHeaders } from "./core/security-headers";
import { timeBudget } from "./core/time-budget";
import { validationHook } from "./core/validation";
import type { OpenDatabase } from "./db/database";
import { databaseRefusal } from "./db/errors";
import { resourceRouters } from "./modules";
import { authRouter } from "./modules/auth";
import type { LoginGuards } from "./modules/auth/login-guards";
import { healthRouter, pingRouter } from "./modules/health";
import { problemsRouter } from "./modules/problems";

export interface AppDependencies {
  config: Config;
  /** Opens the database for one request; undefined when no DATABASE_URL is configured. */
  openDatabase?: OpenDatabase | undefined;
  logger?: Logger;
  /** Login limits and client address; in-memory failure back-off from config by default. */
  loginGuards?: Partial<LoginGuards>;
  /** Tests only: how the external identity provider's JWKS is fetched. */
  jwksFetch?: typeof fetch;
  /** The client's address for logs and login limits; `CF-Connecting-IP` by default (Node passes the socket peer). */
  clientAddress?: ((c: Context<AppEnv>) => string) | undefined;
  /** Called once per request with its route template, status and timings (Prometheus on Node, Analytics Engine on Workers). */
  observeRequest?: ((summary: RequestSummary) => void) | undefined;
  /**
   * Node only: answers `GET /metrics`. Left out of the OpenAPI document, which
   * describes what both runtimes serve; Workers has no such route (404).
   */
  metrics?: Handler<AppEnv> | undefined;
}

export const API_PREFIX = "/api/v1";

/** Composes the whole service. Pure: no I/O happens until a request arrives. */
export function createApp({
  config,
  openDatabase,
  logger = createLogger(config.LOG_LEVEL),
  loginGuards,
  jwksFetch,
  clientAddress = cfConnectingIp,
  observeRequest,
  metrics,
}: AppDependencies) {
  // Trie, named rather than found: Hono's default (SmartRouter) first tries to build a
  // RegExpRouter, which refuses `/users/me` beside `/users/:id`, and it would find that
  // out on the first request of every process and isolate, 2.5–3.5 ms each on Node.
  const app = new OpenAPIHono<AppEnv>({ defaultHook: validationHook, router: new TrieRouter() });
  const jwt = jwtSettings(config);
  const verifyToken = createTokenVerifier(jwt, externalIdentityProvider(config, jwksFetch));
  const guards: LoginGuards = { ...defaultLoginGuards(config, clientAddress), ...loginGuards };

  app.use(requestId);
  app.use(publicUrl(config.PUBLIC_URL));
  app.use(requestLog(logger, { clientAddress, observe: observeRequest }));
  app.use(securityHeaders);
  app.use(corsFor(config.CORS_ORIGINS));
  app.use(`${API_PREFIX}/*`, cacheControl);

  // The body first, on a timer of its own: a client that stops sending gets 408 and no answer is given
  // with its body still on the wire. Then the budget covers what the server waits for: token keys, database (503).
  app.use(`${API_PREFIX}/*`, limitBody(config.MAX_BODY_BYTES, config.REQUEST_TIMEOUT_MS));
  app.use(`${API_PREFIX}/*`, timeBudget(config.REQUEST_TIMEOUT_MS));
  app.use(`${API_PREFIX}/*`, authenticate({ verify: verifyToken, except: PUBLIC_PATHS }));
  app.use(`${API_PREFIX}/*`, databaseLease(openDatabase));

  app.use(`${API_PREFIX}/*`, refuseNonUnicodeJson);
  const routes = app
    .route("/", healthRouter(config, openDatabase))
    .route("/problems", problemsRouter)
    .route(`${API_PREFIX}/auth`, authRouter({ jwt, refreshLifetimeSeconds: config.REFRESH_TOKEN_LIFETIME_SECONDS }, guards))
    .route(`${API_PREFIX}/ping`, pingRouter)
    .route(API_PREFIX, resourceRouters());

  app.openAPIRegistry.registerComponent("securitySchemes", "oauth2", {
    type: "oauth2",
    description: "Log in with e-mail and password; Swagger UI's Authorize button uses this flow.",
    flows: { password: { tokenUrl: TOKEN_PATH, scopes: {} } },
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", { type: "http", scheme: "bearer", bearerFormat: "JWT" });

  if (metrics) app.get("/metrics", metrics);
  registerDocs(app, config);
  app.onError(errorHandler(databaseRefusal));
  app.notFound(createNotFoundHandler(knownRoutes(app)));
  return routes;
}

const TOKEN_PATH = `${API_PREFIX}/auth/token`;
/** Where a client gets or gives up its tokens: no bearer token is asked for. */
const PUBLIC_PATHS = [TOKEN_PATH, `${API_PREFIX}/auth/revoke`];

function jwtSettings(config: Config): JwtSettings {
  return {
    secret: config.JWT_SECRET,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    lifetimeSeconds: config.JWT_LIFETIME_SECONDS,
  };
}

function externalIdentityProvider(config: Config, jwksFetch: typeof fetch | undefined): ExternalIdpSettings | undefined {
  const { JWT_JWKS_URL: jwksUrl, JWT_EXTERNAL_ISSUER: issuer, JWT_EXTERNAL_AUDIENCE: audience } = config;
  if (!jwksUrl || !issuer || !audience) return undefined;
  return {
    jwksUrl,
    issuer,
    audience,
    roleClaim: config.JWT_ROLE_CLAIM,
    ...(config.JWT_EXTERNAL_TYP ? { typ: config.JWT_EXTERNAL_TYP } : {}),
    ...(jwksFetch ? { fetch: jwksFetch } : {}),
  };
}

/** Per-process (Node) or per-isolate (Workers) failure back-off; the Worker adds its binding as `flood`. */
function defaultLoginGuards(config: Config, clientAddress: LoginGuards["clientAddress"]): LoginGuards {
  const backoff = {
    baseSeconds: config.LOGIN_BACKOFF_SECONDS,
    maxSeconds: Math.max(config.LOGIN_BACKOFF_SECONDS, config.LOGIN_BACKOFF_MAX_SECONDS),
  };
  return {
    perAccount: createFailureBackoff({ freeFailures: config.LOGIN_FAILURES_PER_ACCOUNT, ...backoff }),
    perAddress: createFailureBackoff({ freeFailures: config.LOGIN_FAILURES_PER_ADDRESS, ...backoff }),
    clientAddress,
  };
}

/** Workers: Cloudflare's edge sets it; anything else (a test, a direct hit) is "unknown". */
const cfConnectingIp = (c: Context<AppEnv>) => c.req.header("cf-connecting-ip") ?? "unknown";

/** Every documented operation, so unknown methods on known paths get 405 instead of 404. */
function knownRoutes(app: OpenAPIHono<AppEnv>) {
  return app.openAPIRegistry.definitions.flatMap((definition) =>
    definition.type === "route" ? [{ method: definition.route.method, path: definition.route.path }] : [],
  );
}

export type App = ReturnType<typeof createApp>;
/** The type the typed client (`src/client.ts`) is built from. */
export type AppType = App;
