import type { Logger } from "../core/logger";
import type { Database } from "../db/database";
import { RefreshTokenRepository } from "./auth/refresh-tokens.repository";
import { IdempotencyRepository } from "./idempotency/idempotency.repository";

/** How often expired rows are deleted (Node timer; Workers use the Cron Trigger in wrangler.toml). */
export const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Each kind of row that expires, and how to delete the expired ones. */
const purges: Record<string, (db: Database) => Promise<number>> = {
  "idempotency keys": (db) => new IdempotencyRepository(db).purgeExpired(),
  "refresh tokens": (db) => new RefreshTokenRepository(db).purgeExpired(),
};

/** Deletes expired idempotency keys and refresh tokens; failures are logged, never thrown (the next run tries again). */
export async function purgeExpired(db: Database, logger: Logger): Promise<void> {
  for (const [what, purge] of Object.entries(purges)) {
    try {
      logger.info(`expired ${what} purged`, { purged: await purge(db) });
    } catch (error) {
      logger.warn(`purging ${what} failed`, { error });
    }
  }
}
