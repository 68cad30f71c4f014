import { type App, createApp } from "./app";
import { type Config, ConfigError, loadConfig } from "./config";
import { createLogger } from "./core/logger";
import { createBindingRateLimiter } from "./core/rate-limit";
import type { OpenDatabase } from "./db/database";
import { openNeonDatabase } from "./db/neon";
import type { LoginGuards } from "./modules/auth";
import { purgeExpiredIdempotencyKeys } from "./modules/idempotency/purge";
import { analyticsObserver } from "./workers/analytics";

/** Bindings and vars this Worker reads (see wrangler.toml and .dev.vars.example). */
export interface WorkerEnv {
  DATABASE_URL?: string | undefined;
  NEON_HTTP_ENDPOINT?: string | undefined;
  /** Workers rate-limiting bindings (wrangler.toml `[[ratelimits]]`); in-isolate counters when absent. */
  LOGIN_ACCOUNT_LIMITER?: RateLimit | undefined;
  LOGIN_ADDRESS_LIMITER?: RateLimit | undefined;
  /** Workers Analytics Engine dataset (wrangler.toml `[[analytics_engine_datasets]]`); one data point per request when bound. */
  METRICS?: AnalyticsEngineDataset | undefined;
  [key: string]: unknown;
}

/** Uses the platform's rate limiter when bound, so counts are shared across isolates and locations. */
function loginGuards(env: WorkerEnv, config: Config): Partial<LoginGuards> {
  const period = config.LOGIN_WINDOW_SECONDS;
  return {
    ...(env.LOGIN_ACCOUNT_LIMITER ? { perAccount: createBindingRateLimiter(env.LOGIN_ACCOUNT_LIMITER, period) } : {}),
    ...(env.LOGIN_ADDRESS_LIMITER ? { perAddress: createBindingRateLimiter(env.LOGIN_ADDRESS_LIMITER, period) } : {}),
  };
}

// One app per env object: an isolate reuses it across requests, and config parsing runs once.
const apps = new WeakMap<object, App>();

function appFor(env: WorkerEnv): App {
  const cached = apps.get(env);
  if (cached) return cached;
  const config = loadConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  const { DATABASE_URL } = config;
  const openDatabase: OpenDatabase | undefined = DATABASE_URL
    ? (timer, signal) => openNeonDatabase({ ...config, DATABASE_URL }, { timer, signal })
    : undefined;
  const app = createApp({
    config,
    openDatabase,
    logger,
    loginGuards: loginGuards(env, config),
    observeRequest: analyticsObserver(env.METRICS, logger),
  });
  apps.set(env, app);
  return app;
}

/** A bad configuration answers 503 (not a half-working service) and names what to fix. */
function misconfigured(error: ConfigError): Response {
  console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", message: error.message }));
  const requestId = crypto.randomUUID();
  const body = {
    type: "about:blank",
    title: "Service unavailable",
    status: 503,
    detail: error.message,
    code: "service_unavailable",
    requestId,
  };
  return new Response(JSON.stringify(body), {
    status: 503,
    headers: { "Content-Type": "application/problem+json", "X-Request-Id": requestId },
  });
}

export default {
  fetch(request, env, ctx) {
    let app: App;
    try {
      app = appFor(env);
    } catch (error) {
      if (error instanceof ConfigError) return misconfigured(error);
      throw error;
    }
    return app.fetch(request, env, ctx);
  },

  /** Cron Trigger (wrangler.toml `[triggers]`): deletes expired idempotency keys. */
  scheduled(_controller, env, ctx) {
    const config = loadConfig(env);
    const logger = createLogger(config.LOG_LEVEL);
    const { DATABASE_URL } = config;
    if (!DATABASE_URL) {
      logger.warn("scheduled purge skipped: no DATABASE_URL");
      return;
    }
    ctx.waitUntil(purgeExpiredIdempotencyKeys(openNeonDatabase({ ...config, DATABASE_URL }), logger));
  },
} satisfies ExportedHandler<WorkerEnv>;
