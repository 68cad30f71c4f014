import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import worker from "../../src/worker";
import { uniqueTag } from "../contract/target";
import { openRemoteSession } from "./remote-session";

describe("Workers Cron Trigger purges expired idempotency keys", () => {
  it("deletes expired keys and keeps live ones", async () => {
    const session = await openRemoteSession(inject("databaseUrl"));
    const userId = `purge-${uniqueTag()}`;
    try {
      await session.query(
        `insert into idempotency_keys (user_id, key, request_hash, status, response, headers, expires_at)
         values ($1, 'expired', 'h', 201, '{}', '{}', now() - interval '1 minute'), ($1, 'live', 'h', 201, '{}', '{}', now() + interval '1 day')`,
        [userId],
      );
      const ctx = createExecutionContext();
      const workerEnv = { ...env, DATABASE_URL: inject("databaseUrl"), NEON_HTTP_ENDPOINT: inject("sqlEndpoint") };
      worker.scheduled(createScheduledController({ cron: "17 * * * *" }), workerEnv, ctx);
      await waitOnExecutionContext(ctx);
      const { rows } = await session.query("select key from idempotency_keys where user_id = $1", [userId]);
      expect(rows).toEqual([{ key: "live" }]);
    } finally {
      await session.end();
    }
  });
});
