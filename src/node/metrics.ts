// Node only: prom-client reads process internals that workerd lacks, so only
// src/node/start-server.ts imports this file and it never reaches the Worker bundle.
import { createHash, timingSafeEqual } from "node:crypto";
import type { Handler } from "hono";
import type pg from "pg";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { AppEnv } from "../core/context";
import { ApiError } from "../core/errors";
import type { RequestSummary } from "../core/request-log";

export interface NodeMetrics {
  /** Records one finished request (route template, not path: bounded label values). */
  observe(summary: RequestSummary): void;
  /** `GET /metrics`: Prometheus text exposition, behind the token when one is configured. */
  handler: Handler<AppEnv>;
}

export interface NodeMetricsOptions {
  pool?: pg.Pool | undefined;
  /** METRICS_TOKEN: when set, scrapes must send `Authorization: Bearer <token>`. */
  token?: string | undefined;
}

const labelNames = ["method", "route", "status"] as const;

/** A registry per server (not prom-client's global one), so several servers in one process never collide. */
export function createNodeMetrics({ pool, token }: NodeMetricsOptions): NodeMetrics {
  const registry = new Registry();
  // CPU, RSS, heap, GC, event loop lag and handles, as every Node exporter names them.
  collectDefaultMetrics({ register: registry });

  const requests = new Counter({ name: "http_requests_total", help: "HTTP requests answered.", labelNames, registers: [registry] });
  const duration = new Histogram({
    name: "http_request_duration_seconds",
    help: "Time from request to response, in seconds.",
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  if (pool) registerPoolGauges(registry, pool);

  const authorised = token === undefined ? () => true : bearerMatches(token);
  return {
    observe({ method, route, status, durationMs }) {
      const labels = { method, route, status: String(status) };
      requests.inc(labels);
      duration.observe(labels, durationMs / 1000);
    },
    handler: async (c) => {
      if (!authorised(c.req.header("authorization"))) {
        throw new ApiError("unauthorized", "GET /metrics needs the metrics bearer token.", {
          headers: { "WWW-Authenticate": 'Bearer realm="metrics"' },
        });
      }
      return c.body(await registry.metrics(), 200, { "Content-Type": registry.contentType, "Cache-Control": "no-store" });
    },
  };
}

// Sampled at scrape time: the pool keeps these counts itself.
function registerPoolGauges(registry: Registry, pool: pg.Pool): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge("db_pool_connections", "Connections the pool holds (in use + idle).", () => pool.totalCount);
  gauge("db_pool_in_use_connections", "Connections checked out by a query or transaction.", () => pool.totalCount - pool.idleCount);
  gauge("db_pool_idle_connections", "Connections idle in the pool.", () => pool.idleCount);
  gauge("db_pool_waiting_requests", "Queries waiting for a free connection.", () => pool.waitingCount);
}

/** Constant-time: both sides are hashed to the same length first, so neither length nor prefix leaks. */
function bearerMatches(token: string): (header: string | undefined) => boolean {
  const expected = createHash("sha256").update(token).digest();
  return (header) => {
    const presented = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (presented === undefined) return false;
    return timingSafeEqual(createHash("sha256").update(presented).digest(), expected);
  };
}
