import { type App, createApp } from "./app";
import { ConfigError, loadConfig } from "./config";
import { createLogger } from "./core/logger";
import { openNeonDatabase } from "./db/neon";

/** Bindings and vars this Worker reads (see wrangler.toml and .dev.vars.example). */
export interface WorkerEnv {
  DATABASE_URL?: string;
  NEON_WS_PROXY?: string;
  [key: string]: unknown;
}

// One app per env object: an isolate reuses it across requests, and config parsing runs once.
const apps = new WeakMap<object, App>();

function appFor(env: WorkerEnv): App {
  const cached = apps.get(env);
  if (cached) return cached;
  const config = loadConfig(env);
  const logger = createLogger(config.LOG_LEVEL);
  const { DATABASE_URL } = config;
  const openDatabase = DATABASE_URL ? () => openNeonDatabase({ ...config, DATABASE_URL }, logger) : undefined;
  const app = createApp({ config, openDatabase, logger });
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
} satisfies ExportedHandler<WorkerEnv>;
