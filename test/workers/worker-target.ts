import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { inject } from "vitest";
import { createClient } from "../../src/client";
import worker, { type WorkerEnv } from "../../src/worker";
import { authorised, BASE_URL, type ContractTarget } from "../contract/target";

/** The Worker's own fetch handler in workerd, reaching Postgres through the Neon driver over HTTP (the local `/sql` endpoint). */
export function createWorkerTarget(overrides: Partial<WorkerEnv> = {}): ContractTarget {
  const workerEnv: WorkerEnv = { ...env, DATABASE_URL: inject("databaseUrl"), NEON_HTTP_ENDPOINT: inject("sqlEndpoint"), ...overrides };
  const send = async (request: Request) => {
    const ctx = createExecutionContext();
    // A test-made Request has no edge `cf` properties; the handler never reads them.
    const incoming = request as Parameters<typeof worker.fetch>[0];
    const response = await worker.fetch(incoming, workerEnv, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
  const { as, fetch, clientFetch } = authorised(send);
  return { runtime: "workers", fetch, as, client: createClient(BASE_URL, { fetch: clientFetch }) };
}
