import type { Logger } from "../../core/logger";
import type { Database } from "../../db/database";
import { IdempotencyRepository } from "./idempotency.repository";

/** How often expired idempotency keys are deleted (Node timer; Workers use the Cron Trigger in wrangler.toml). */
export const PURGE_INTERVAL_MS = 60 * 60 * 1000;

/** Deletes expired idempotency keys; failures are logged, never thrown (the next run tries again). */
export async function purgeExpiredIdempotencyKeys(db: Database, logger: Logger): Promise<number> {
  try {
    const purged = await new IdempotencyRepository(db).purgeExpired();
    logger.info("expired idempotency keys purged", { purged });
    return purged;
  } catch (error) {
    logger.warn("purging idempotency keys failed", { error });
    return 0;
  }
}
