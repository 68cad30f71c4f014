import { sql } from "drizzle-orm";
import type { Config } from "../../config";
import { ApiError } from "../../core/errors";
import { createRouter } from "../../core/router";
import type { OpenDatabase } from "../../db/database";
import { health, ping, ready } from "./health.routes";
import { latestMigration, migrationsApplied } from "./readiness";

const notConfiguredHint =
  "No database is configured. Run `npm run dev` (starts an embedded Postgres and a local Neon endpoint), or set DATABASE_URL in .dev.vars or the environment.";

function unavailable(detail: string, database: string): ApiError {
  return new ApiError("service_unavailable", detail, { extensions: { checks: { database } }, headers: { "Retry-After": "5" } });
}

async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function healthRouter(config: Config, openDatabase: OpenDatabase | undefined) {
  const migration = latestMigration();
  return createRouter()
    .openapi(health, (c) => c.json({ status: "ok" as const }, 200))
    .openapi(ready, async (c) => {
      if (!openDatabase) throw unavailable(notConfiguredHint, "not_configured");
      // The signal stops the statement where the driver can (Workers); the race answers in time everywhere.
      const deadline = AbortSignal.timeout(config.READY_TIMEOUT_MS);
      const db = openDatabase(c.get("queryTimer"), deadline);
      let applied: boolean;
      try {
        applied = await withTimeout(migrationsApplied(db, migration), config.READY_TIMEOUT_MS);
      } catch (error) {
        const reason = deadline.aborted || (error instanceof Error && /timed out/.test(error.message)) ? "timeout" : "unreachable";
        c.get("logger").warn("readiness check failed", { reason, error });
        throw unavailable(`The database is ${reason === "timeout" ? `slower than ${config.READY_TIMEOUT_MS} ms` : "unreachable"}.`, reason);
      }
      if (!applied) {
        throw new ApiError(
          "service_unavailable",
          `Database migrations are pending: ${migration.tag} is not applied. Run \`npm run db:migrate\`.`,
          {
            extensions: { checks: { database: "ok", migrations: "pending" } },
            headers: { "Retry-After": "5" },
          },
        );
      }
      return c.json(
        {
          status: "ok" as const,
          checks: { database: "ok" as const, migrations: "ok" as const },
          version: config.BUILD_VERSION,
          commit: config.BUILD_COMMIT,
        },
        200,
      );
    });
}

/** `GET /api/v1/ping`: behind the API's own middleware (token, time budget, database), one trivial statement. */
export const pingRouter = createRouter().openapi(ping, async (c) => {
  await c.get("db").execute(sql`select 1`);
  return c.json({ status: "ok" as const }, 200);
});
