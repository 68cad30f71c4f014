/**
 * A local stand-in for Neon's SQL-over-HTTP endpoint (what `neon()` of
 * @neondatabase/serverless posts to), over a real Postgres, for development
 * and tests. It follows neondatabase/neon `proxy/src/serverless/` (mod.rs
 * routing, sql_over_http.rs requests and answers, json.rs values); each file
 * here cites the part it mirrors.
 *
 *   const endpoint = await startSqlOverHttpEndpoint();
 *   neonConfig.fetchEndpoint = endpoint.url; // global: neon() has no per-client endpoint
 */
import { randomUUID } from "node:crypto";
import http from "node:http";
import { handleSql } from "./handler";
import { Pools } from "./pools";

export interface SqlOverHttpEndpoint {
  /** "http://127.0.0.1:PORT/sql" */
  url: string;
  port: number;
  /** Stops listening, cancels what is running and ends every pool; idempotent. */
  close(): Promise<void>;
}

export interface SqlOverHttpOptions {
  /** 0 or undefined = any free port; a fixed port lets a test restart it on the same URL. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** `sql_over_http_max_response_size_bytes`; default 10 MiB, as Neon. */
  maxResponseBytes?: number;
  log?: (line: string) => void;
}

/** mod.rs `request_handler`: the CORS preflight answer for /sql. */
const PREFLIGHT_HEADERS = {
  Allow: "OPTIONS, POST",
  "Access-Control-Allow-Origin": "*",
  "Access-Control-Allow-Headers":
    "Authorization, Neon-Connection-String, Neon-Raw-Text-Output, Neon-Array-Mode, Neon-Pool-Opt-In, Neon-Batch-Read-Only, Neon-Batch-Isolation-Level",
  "Access-Control-Max-Age": "86400",
};

export async function startSqlOverHttpEndpoint(options: SqlOverHttpOptions = {}): Promise<SqlOverHttpEndpoint> {
  const log = options.log ?? (() => {});
  const pools = new Pools(log);
  const context = { pools, maxResponseBytes: options.maxResponseBytes ?? 10 * 1024 * 1024, log };
  const inFlight = new Set<AbortController>();

  const server = http.createServer((request, response) => {
    // mod.rs adds a session id to every answer.
    response.setHeader("Neon-Request-Id", randomUUID());
    const path = new URL(request.url ?? "/", "http://localhost").pathname;
    if (path === "/sql" && request.method === "POST") {
      const controller = new AbortController();
      inFlight.add(controller);
      // The proxy cancels the request's work when its HTTP stream closes first.
      response.on("close", () => {
        inFlight.delete(controller);
        if (!response.writableFinished) controller.abort();
      });
      handleSql(context, request, response, controller.signal).catch((error: unknown) => {
        log(`sql-over-http: ${String(error)}`);
        if (!response.headersSent) response.writeHead(500).end();
      });
      return;
    }
    if (path === "/sql" && request.method === "OPTIONS") {
      response.writeHead(200, PREFLIGHT_HEADERS).end();
      return;
    }
    // Every other path or method: mod.rs answers 400 with a JSON string.
    response.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify("query is not supported"));
  });
  server.on("clientError", (error, socket) => {
    log(`sql-over-http: bad HTTP request: ${error.message}`);
    socket.destroy();
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("the /sql endpoint is not listening on TCP");
  const { port } = address;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}/sql`,
    port,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        for (const controller of inFlight) controller.abort();
        server.closeAllConnections();
        await stopped;
        await pools.close();
      })();
      return closing;
    },
  };
}
