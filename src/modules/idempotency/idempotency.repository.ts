import { and, eq, lt, type SQL, sql } from "drizzle-orm";
import type { IdempotencyScope } from "../../core/context";
import type { Database } from "../../db/database";
import { type IdempotencyRow, idempotencyKeys } from "./idempotency.table";

/** Keys are kept at least this long (the contract promises 24 hours). */
export const RETENTION_HOURS = 24;
/**
 * A `running` claim older than this belongs to a request that died without
 * releasing it (longer than any request budget); a retry may take it over.
 */
export const STALE_CLAIM_SECONDS = 60;

export type { IdempotencyScope };

export type ClaimResult = { claimed: true } | { claimed: false; existing: IdempotencyRow | undefined };

/** Every SQL statement for idempotency keys. */
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims the key for this request in one statement: a new key, or a stale
   * `running` claim of the same request, becomes ours; anything else is
   * reported so the caller can replay, refuse (422) or answer 409.
   */
  async claim(scope: IdempotencyScope): Promise<ClaimResult> {
    const claimed = await this.db
      .insert(idempotencyKeys)
      .values({
        userId: scope.userId,
        key: scope.key,
        requestHash: scope.requestHash,
        state: "running",
        expiresAt: sql`now() + make_interval(hours => ${RETENTION_HOURS})`,
      })
      .onConflictDoUpdate({
        target: [idempotencyKeys.userId, idempotencyKeys.key],
        set: { lockedAt: sql`now()` },
        setWhere: sql`${idempotencyKeys.state} = 'running' and ${idempotencyKeys.requestHash} = ${scope.requestHash}
          and ${idempotencyKeys.lockedAt} < now() - make_interval(secs => ${STALE_CLAIM_SECONDS})`,
      })
      .returning({ key: idempotencyKeys.key });
    if (claimed.length > 0) return { claimed: true };
    const [existing] = await this.db.select().from(idempotencyKeys).where(this.matches(scope));
    return { claimed: false, existing };
  }

  /**
   * The UPDATE that marks the key done with the answer `response` (a SQL
   * expression over the resource's CTE). The caller runs it in the same
   * statement as the insert, as a data-modifying CTE.
   */
  completion(scope: IdempotencyScope, status: number, response: SQL, headers: SQL) {
    return this.db
      .update(idempotencyKeys)
      .set({ state: "done", status, response, headers })
      .where(and(this.matches(scope), eq(idempotencyKeys.state, "running")));
  }

  /** Stores an answer that was not a creation (e.g. 409 on a taken sku), so retries get the same. */
  async complete(scope: IdempotencyScope, status: number, response: unknown): Promise<void> {
    await this.db
      .update(idempotencyKeys)
      .set({ state: "done", status, response, headers: {} })
      .where(and(this.matches(scope), eq(idempotencyKeys.state, "running")));
  }

  /** Gives the key back after a failure that created nothing, so the client can retry at once. */
  async release(scope: IdempotencyScope): Promise<void> {
    await this.db.delete(idempotencyKeys).where(and(this.matches(scope), eq(idempotencyKeys.state, "running")));
  }

  /** Deletes expired keys; returns how many. */
  async purgeExpired(): Promise<number> {
    const rows = await this.db
      .delete(idempotencyKeys)
      .where(lt(idempotencyKeys.expiresAt, sql`now()`))
      .returning({ key: idempotencyKeys.key });
    return rows.length;
  }

  private matches(scope: IdempotencyScope) {
    return and(eq(idempotencyKeys.userId, scope.userId), eq(idempotencyKeys.key, scope.key));
  }
}
