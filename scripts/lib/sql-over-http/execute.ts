/**
 * Running a request's statements on a leased connection, with the proxy's
 * rules for cancellation and for when a connection may be reused
 * (`QueryData::process` and `BatchQueryData::process`, sql_over_http.rs).
 */
import { sendCancelRequest } from "./cancel";
import { CancelledError, SqlOverHttpError, statementError } from "./errors";
import type { QueryData } from "./payload";
import type { Lease } from "./pools";
import { type RequestFlags, startTransactionSql } from "./request";
import { queryToJson, ResponseText } from "./result-json";
import { aborted, within } from "./signals";

export interface ExecuteOptions {
  flags: RequestFlags;
  maxResponseBytes: number;
  /** Aborted when the HTTP client goes away. */
  signal: AbortSignal;
}

type Settled = { ok: true } | { ok: false; error: unknown };

const settle = (work: Promise<void>): Promise<Settled> =>
  work.then(
    () => ({ ok: true }),
    (error: unknown) => ({ ok: false, error }),
  );

const wasCancelled = (outcome: Settled | "timeout") =>
  outcome !== "timeout" && (outcome.ok || (outcome.error instanceof SqlOverHttpError && outcome.error.db?.code === "57014"));

/**
 * A single statement. Any error discards the connection. On disconnect the
 * statement is cancelled and given 100 ms: if it then ended cleanly or with
 * query_canceled (57014) the connection is still good, otherwise it goes.
 */
export async function executeSingle(lease: Lease, data: QueryData, options: ExecuteOptions): Promise<string> {
  const out = new ResponseText();
  const running = settle(queryToJson(lease.client, data, options.flags, out, options.maxResponseBytes));
  const first = await Promise.race([running, aborted(options.signal)]);
  if (first === "aborted") {
    await sendCancelRequest(lease.client, lease.target.host, lease.target.port);
    if (wasCancelled(await within(running, 100))) lease.release();
    else lease.discard();
    throw new CancelledError();
  }
  if (!first.ok) {
    lease.discard();
    throw first.error;
  }
  lease.release();
  return out.toString();
}

/**
 * A batch in one transaction (`TransactionBuilder::start` … COMMIT). The
 * first failing statement ends it: the transaction rolls back (the session
 * reset starts with ROLLBACK) and that error is the answer. A failed START or
 * COMMIT discards the connection, and so does a disconnect, after cancelling
 * the running statement (Postgres rolls back when the session ends). A 507
 * also discards it here, since node-postgres cannot abandon a result midway.
 */
export async function executeBatch(lease: Lease, queries: QueryData[], options: ExecuteOptions): Promise<string> {
  try {
    await lease.client.query(startTransactionSql(options.flags));
  } catch (error) {
    lease.discard();
    throw statementError(error);
  }
  const out = new ResponseText();
  const disconnected = aborted(options.signal);
  out.write(`{"results":[`);
  for (const [index, data] of queries.entries()) {
    if (index > 0) out.write(",");
    const running = settle(queryToJson(lease.client, data, options.flags, out, options.maxResponseBytes));
    const outcome = await Promise.race([running, disconnected]);
    if (outcome === "aborted") {
      await sendCancelRequest(lease.client, lease.target.host, lease.target.port);
      lease.discard();
      throw new CancelledError();
    }
    if (!outcome.ok) {
      if (outcome.error instanceof SqlOverHttpError && outcome.error.status === 507) lease.discard();
      else lease.release();
      throw outcome.error;
    }
  }
  try {
    await lease.client.query("COMMIT");
  } catch (error) {
    lease.discard();
    throw statementError(error);
  }
  lease.release();
  out.write("]}");
  return out.toString();
}
