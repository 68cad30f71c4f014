/**
 * One `POST /sql` request, in the order of the proxy's `handle_db_inner`
 * (sql_over_http.rs): connection string, flags, body, connection, statements;
 * then the answer or the error JSON of `handle`.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { CancelledError, errorBody, internalError, SqlOverHttpError } from "./errors";
import { executeBatch, executeSingle } from "./execute";
import { parsePayload, readBody } from "./payload";
import type { Lease, Pools } from "./pools";
import { type ConnectionTarget, parseConnectionTarget, parseFlags } from "./request";
import { aborted } from "./signals";

export interface HandlerContext {
  pools: Pools;
  maxResponseBytes: number;
  log: (line: string) => void;
}

function send(response: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (response.destroyed || response.headersSent) return;
  // `handle` adds Access-Control-Allow-Origin to every /sql answer, success or error.
  response.writeHead(status, { "Content-Type": "application/json", "Access-Control-Allow-Origin": "*", ...headers });
  response.end(body);
}

/** The client went away while a connection was being opened (`SqlOverHttpCancel::Connect`). */
async function acquireUnlessAborted(pools: Pools, target: ConnectionTarget, signal: AbortSignal): Promise<Lease> {
  const acquiring = pools.acquire(target);
  const first = await Promise.race([acquiring, aborted(signal)]);
  if (first !== "aborted") return first;
  acquiring.then(
    (lease) => lease.release(),
    () => {},
  );
  throw new CancelledError();
}

export async function handleSql(
  context: HandlerContext,
  request: IncomingMessage,
  response: ServerResponse,
  signal: AbortSignal,
): Promise<void> {
  try {
    const target = parseConnectionTarget(request.headers);
    const flags = parseFlags(request.headers);
    // The proxy reads the body and connects concurrently; here the body comes first (only the winner of two failures differs).
    const payload = parsePayload(await readBody(request));
    const lease = await acquireUnlessAborted(context.pools, target, signal);
    const options = { flags, maxResponseBytes: context.maxResponseBytes, signal };
    if (payload.kind === "single") {
      send(response, 200, await executeSingle(lease, payload.query, options));
      return;
    }
    // A batch's answer repeats the transaction headers it honoured.
    const echoed: Record<string, string> = {};
    if (flags.readOnly) echoed["Neon-Batch-Read-Only"] = "true";
    if (flags.deferrable) echoed["Neon-Batch-Deferrable"] = "true";
    if (flags.isolationHeader !== undefined) echoed["Neon-Batch-Isolation-Level"] = flags.isolationHeader;
    send(response, 200, await executeBatch(lease, payload.queries, options), echoed);
  } catch (caught) {
    if (caught instanceof CancelledError) {
      send(response, 400, JSON.stringify(caught.body));
      return;
    }
    const error = caught instanceof SqlOverHttpError ? caught : internalError(caught);
    if (error.status >= 500) context.log(`sql-over-http: ${error.status} ${error.message}`);
    send(response, error.status, JSON.stringify(errorBody(error)));
  }
}
