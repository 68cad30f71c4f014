import { type App, createApp } from "./app";
import { ConfigError, loadConfig } from "./config";
import { limitPasswordHashing } from "./core/auth/password";
import { createLogger } from "./core/logger";
import { PROBLEM_CONTENT_TYPE, problemBody } from "./core/problem";
import { createBindingRateLimiter } from "./core/rate-limit";
import type { OpenDatabase } from "./db/database";
import { openNeonDatabase } from "./db/neon";
import type { LoginGuards } from "./modules/auth/login-guards";
import { purgeExpired } from "./modules/purge";
import { analyticsObserver } from "./workers/analytics";

/** Bindings and vars this Worker reads (see wrangler.toml and .dev.vars.example). */
export interface WorkerEnv {
  DATABASE_URL?: string | undefined;
  NEON_HTTP_ENDPOINT?: string | undefined;
  /** Workers rate-limiting binding (wrangler.toml `[[ratelimits]]`): every login attempt per address; none when absent. */
  LOGIN_ADDRESS_LIMITER?: RateLimit | undefined;
  /** Workers Analytics Engine dataset (wrangler.toml `[[analytics_engine_datasets]]`); one data point per request when bound. */
  METRICS?: AnalyticsEngineDataset | undefined;
  [key: string]: unknown;
}

/** The period of LOGIN_ADDRESS_LIMITER in wrangler.toml, which the binding does not report. */
const FLOOD_PERIOD_SECONDS = 60;

/**
 * The failure back-off lives in each isolate (the binding can only count, not "check, then record a
 * failure"), so the binding, shared across isolates and locations, caps every attempt per address instead.
 */
function loginGuards(env: WorkerEnv): Partial<LoginGuards> {
  return env.LOGIN_ADDRESS_LIMITER ? { flood: createBindingRateLimiter(env.LOGIN_ADDRESS_LIMITER, FLOOD_PERIOD_SECONDS) } : {};
}

// One app per env object: an isolate reuses it across requests, and config parsing runs once.
const apps = new WeakMap<object, App>();

function appFor(env: WorkerEnv): App {
  const cached = apps.get(env);
  if (cached) return cached;
  const config = loadConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  limitPasswordHashing(config.PASSWORD_HASH_CONCURRENCY);
  const { DATABASE_URL } = config;
  const openDatabase: OpenDatabase | undefined = DATABASE_URL
    ? (timer, signal) => openNeonDatabase({ ...config, DATABASE_URL }, { timer, signal })
    : undefined;
  const app = createApp({
    config,
    openDatabase,
    logger,
    loginGuards: loginGuards(env),
    observeRequest: analyticsObserver(env.METRICS, logger),
  });
  apps.set(env, app);
  return app;
}

/**
 * A bad configuration answers 503 (not a half-working service) and names what to fix.
 * There is no app without a configuration, so the entry answers with the app's problem builder itself.
 */
function misconfigured(error: ConfigError, request: Request): Response {
  console.error(JSON.stringify({ time: new Date().toISOString(), level: "error", message: error.message }));
  const requestId = crypto.randomUUID();
  const code = "service_unavailable";
  // Relative type: PUBLIC_URL is part of the configuration that failed.
  const body = problemBody(code, error.message, { publicUrl: undefined, instance: new URL(request.url).pathname, requestId });
  return new Response(JSON.stringify(body), {
    status: 503,
    // As every other 503 of the API (the "no database configured" one included): wait and retry, never cached.
    headers: { "Content-Type": PROBLEM_CONTENT_TYPE, "X-Request-Id": requestId, "Retry-After": "30", "Cache-Control": "no-store" },
  });
}

export default {
  fetch(request, env, ctx) {
    let app: App;
    try {
      app = appFor(env);
    } catch (error) {
      if (error instanceof ConfigError) return misconfigured(error, request);
      throw error;
    }
    return app.fetch(request, env, ctx);
  },

  /** Cron Trigger (wrangler.toml `[triggers]`): deletes expired idempotency keys and refresh tokens. */
  scheduled(_controller, env, ctx) {
    const config = loadConfig(env);
    const logger = createLogger(config.LOG_LEVEL);
    const { DATABASE_URL } = config;
    if (!DATABASE_URL) {
      logger.warn("scheduled purge skipped: no DATABASE_URL");
      return;
    }
    ctx.waitUntil(purgeExpired(openNeonDatabase({ ...config, DATABASE_URL }), logger));
  },
} satisfies ExportedHandler<WorkerEnv>;
