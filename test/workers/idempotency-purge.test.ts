import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, inject, it } from "vitest";
import worker from "../../src/worker";
import { uniqueTag } from "../contract/target";
import { openRemoteSession } from "./remote-session";

describe("Workers Cron Trigger purges expired idempotency keys and refresh tokens", () => {
  it("deletes expired rows and keeps live ones", async () => {
    const session = await openRemoteSession(inject("databaseUrl"));
    const userId = `purge-${uniqueTag()}`;
    try {
      await session.query(
        `insert into idempotency_keys (user_id, key, request_hash, status, response, headers, expires_at)
         values ($1, 'expired', 'h', 201, '{}', '{}', now() - interval '1 minute'), ($1, 'live', 'h', 201, '{}', '{}', now() + interval '1 day')`,
        [userId],
      );
      const owner = inject("testUsers").viewer.id;
      await session.query(
        `insert into refresh_tokens (id, family_id, user_id, token_hash, auth_version, expires_at)
         values (gen_random_uuid(), gen_random_uuid(), $1, $2, 1, now() - interval '1 minute'),
                (gen_random_uuid(), gen_random_uuid(), $1, $3, 1, now() + interval '1 day')`,
        [owner, `expired-${userId}`, `live-${userId}`],
      );
      const ctx = createExecutionContext();
      const workerEnv = { ...env, DATABASE_URL: inject("databaseUrl"), NEON_HTTP_ENDPOINT: inject("sqlEndpoint") };
      worker.scheduled(createScheduledController({ cron: "17 * * * *" }), workerEnv, ctx);
      await waitOnExecutionContext(ctx);
      const { rows } = await session.query("select key from idempotency_keys where user_id = $1", [userId]);
      expect(rows).toEqual([{ key: "live" }]);
      const tokens = await session.query("select token_hash from refresh_tokens where token_hash like $1", [`%-${userId}`]);
      expect(tokens.rows).toEqual([{ token_hash: `live-${userId}` }]);
    } finally {
      await session.end();
    }
  });
});
