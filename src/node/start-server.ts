import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import type { ExecutionContext } from "hono";
import { createApp } from "../app";
import { loadConfig } from "../config";
import { limitPasswordHashing } from "../core/auth/password";
import { createLogger, type LogSink } from "../core/logger";
import { formatPretty } from "../core/pretty-log";
import { createNodeDatabase } from "../db/node";
import { PURGE_INTERVAL_MS, purgeExpired } from "../modules/purge";
import { nodeClientAddress } from "./client-address";
import { answerClientErrors } from "./client-error";
import { closeAfterEarlyAnswers } from "./connection";
import { createNodeMetrics } from "./metrics";
import { refuseUnreadableRequests } from "./request-error";
import { withStaticAssets } from "./static-assets";
import { batchedLineSink } from "./stdout-sink";

export interface RunningServer {
  port: number;
  /** Stops accepting, lets in-flight requests finish (up to `deadlineMs`), then drains the pool. */
  shutdown(reason: string): Promise<void>;
}

export interface StartOptions {
  /** Where log lines go; stdout by default. */
  sink?: LogSink;
  /** How often expired idempotency keys are purged (hourly by default). */
  purgeIntervalMs?: number;
  /** How long in-flight requests may take after shutdown starts. */
  deadlineMs?: number;
}

/**
 * Node has no ExecutionContext: work handed to `waitUntil` (an abandoned request's statement) simply runs on.
 * Passing one anyway spares every request a thrown and caught Error, which is what Hono's
 * `c.executionCtx` does when there is none (see core/after-response.ts).
 */
const nodeExecutionContext: ExecutionContext = { waitUntil: () => {}, passThroughOnException: () => {}, props: {} };

/** Builds and starts the Node runtime from an environment (process.env in production). Throws ConfigError on bad settings. */
export async function startServer(env: Record<string, unknown>, options: StartOptions = {}): Promise<RunningServer> {
  const config = loadConfig(env, { servesMetrics: true });
  limitPasswordHashing(config.PASSWORD_HASH_CONCURRENCY);
  const logger = createLogger(
    config.LOG_LEVEL,
    options.sink ?? batchedLineSink(),
    config.LOG_FORMAT === "pretty" ? formatPretty : undefined,
  );
  const { DATABASE_URL } = config;
  const database = DATABASE_URL ? createNodeDatabase({ ...config, DATABASE_URL }, logger) : undefined;
  const metrics = createNodeMetrics({ pool: database?.pool, token: config.METRICS_TOKEN });
  const app = withStaticAssets(
    createApp({
      config,
      logger,
      openDatabase: database?.open,
      // For logs and login limits: the socket's peer, or behind TRUSTED_PROXY_HOPS proxies the address they forwarded.
      clientAddress: nodeClientAddress(config.TRUSTED_PROXY_HOPS),
      observeRequest: metrics.observe,
      metrics: metrics.handler,
    }),
  );

  // The adapter's listener on a server of our own: serve() would not pass the error handler on. Node's own
  // Host check answers a bare 400; without it the adapter refuses a missing Host, through that handler.
  const listener = getRequestListener(
    closeAfterEarlyAnswers((request, env) => app.fetch(request, env, nodeExecutionContext)),
    { errorHandler: refuseUnreadableRequests(config.PUBLIC_URL) },
  );
  const server = createServer({ requireHostHeader: false }, listener);
  answerClientErrors(server, config.PUBLIC_URL);
  await new Promise<void>((resolve) => server.listen(config.PORT, resolve));
  const port = (server.address() as AddressInfo).port;
  logger.info("listening", { port, database: database ? "configured" : "not configured" });

  // Workers purge from a Cron Trigger; a Node process does it on a timer of its own.
  const purge = database && setInterval(() => void purgeExpired(database.db, logger), options.purgeIntervalMs ?? PURGE_INTERVAL_MS);
  purge?.unref();

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= new Promise<void>((resolve) => {
      clearInterval(purge);
      logger.info("shutting down", { reason });
      const deadline = setTimeout(() => {
        logger.warn("shutdown deadline passed; closing remaining connections");
        if ("closeAllConnections" in server) server.closeAllConnections();
      }, options.deadlineMs ?? 10_000);
      deadline.unref();
      server.close(async () => {
        clearTimeout(deadline);
        await database?.close().catch((error: unknown) => logger.warn("closing pool failed", { error }));
        logger.info("stopped");
        resolve();
      });
      // Keep-alive sockets with no request in flight would hold close() open until they time out.
      if ("closeIdleConnections" in server) server.closeIdleConnections();
    });
    return stopping;
  };
  return { port, shutdown };
}
