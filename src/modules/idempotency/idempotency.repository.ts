import { and, type ColumnsSelection, eq, lt, type SQL, sql } from "drizzle-orm";
import type { WithSubqueryWithSelection } from "drizzle-orm/pg-core";
import type { TypedQueryBuilder } from "drizzle-orm/query-builders/query-builder";
import type { ClaimedKey, IdempotencyScope } from "../../core/context";
import { ApiError } from "../../core/errors";
import type { Database } from "../../db/database";
import { databaseErrorCode } from "../../db/errors";
import { retryIfDropped } from "../../db/retry";
import { type IdempotencyRow, idempotencyKeys } from "./idempotency.table";

/** Keys are kept at least this long (the contract promises 24 hours). */
export const RETENTION_HOURS = 24;

export type { ClaimedKey, IdempotencyScope };

export type ClaimResult = { claimed: true; token: string } | { claimed: false; existing: IdempotencyRow | undefined };

/** A fenced create whose claim a retry took over fails on its NULL id (see `fence`): nothing was created. */
export const isLostClaim = (error: unknown) => databaseErrorCode(error) === "23502";

export const lostClaim = () =>
  new ApiError("conflict", "A retry took this Idempotency-Key over (this request outlived its time budget); nothing was created.", {
    headers: { "Retry-After": "1" },
  });

/** Every SQL statement for idempotency keys. */
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  /**
   * Claims the key for this request in one statement: a new key, or a stale
   * `running` claim of the same request, becomes ours; anything else is
   * reported so the caller can replay, refuse (422) or answer 409.
   *
   * A claim is stale once it is older than `staleAfterMs` (the request budget):
   * its request has answered 503 by then, and most likely died without giving
   * the key back (its connection or the database went away). Taking it over
   * is safe because every later write of the old request is fenced on the
   * claim's token (the row version, `xmin`), which the takeover changes.
   *
   * Repeated when its connection drops: if the dropped attempt did claim, the
   * repeat finds that claim and answers 409 until it goes stale (no duplicate).
   */
  claim(scope: IdempotencyScope, staleAfterMs: number): Promise<ClaimResult> {
    return retryIfDropped(() => this.tryClaim(scope, staleAfterMs));
  }

  private async tryClaim(scope: IdempotencyScope, staleAfterMs: number): Promise<ClaimResult> {
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
          and ${idempotencyKeys.lockedAt} < now() - make_interval(secs => ${staleAfterMs / 1000})`,
      })
      .returning({ token: sql<string>`xmin::text` });
    const [claim] = claimed;
    if (claim) return { claimed: true, token: claim.token };
    const [existing] = await this.db.select().from(idempotencyKeys).where(this.matches(scope));
    return { claimed: false, existing };
  }

  /**
   * What a create statement needs to be fenced on the claim: `owned`, a CTE
   * that locks the key row while it is still this request's claim, and `id`,
   * the new row's id taken from it. When a retry has taken the key over, the
   * id is NULL and the whole statement fails (`isLostClaim`), so a request
   * that outlived its claim can never create a second resource.
   */
  private fence(claim: ClaimedKey) {
    const owned = this.db
      .$with("owned")
      .as(this.db.select({ key: idempotencyKeys.key }).from(idempotencyKeys).where(this.ownedBy(claim)).for("update"));
    return { owned, id: (id: string) => sql`(select ${id}::uuid from ${owned})` };
  }

  /**
   * Creates a resource and stores the answer under the key in ONE statement
   * (data-modifying CTEs), so a crash leaves neither or both. `insert` builds
   * the INSERT … RETURNING with the fenced id it is given; `answer` is the
   * stored 201 body and headers, SQL over the CTE `created`.
   *
   * Fenced, so safe to repeat when the connection drops: if the dropped attempt
   * did create, the repeat finds the key done and fails on its NULL id (409; the
   * client's own retry then gets the replay). Other errors (e.g. a unique
   * violation) are the caller's to map.
   */
  async createWithAnswer<TSelection extends ColumnsSelection, TRow>(
    claim: ClaimedKey,
    insert: (fencedId: (id: string) => SQL) => TypedQueryBuilder<TSelection>,
    answer: { body: SQL; headers: SQL },
    // Reads the created rows; written at the call site, where the row type is known.
    read: (statement: ReturnType<Database["with"]>, created: WithSubqueryWithSelection<TSelection, "created">) => Promise<TRow[]>,
  ): Promise<TRow[]> {
    const fence = this.fence(claim);
    const created = this.db.$with("created").as(insert(fence.id));
    const saved = this.db.$with("saved").as(
      this.db
        .update(idempotencyKeys)
        .set({
          state: "done",
          status: 201,
          response: sql`(select ${answer.body} from created)`,
          headers: sql`(select ${answer.headers} from created)`,
        })
        .where(this.ownedBy(claim))
        .returning({ key: idempotencyKeys.key }),
    );
    return retryIfDropped(() => read(this.db.with(fence.owned, created, saved), created)).catch((error: unknown) => {
      if (isLostClaim(error)) throw lostClaim();
      throw error;
    });
  }

  /** Stores an answer that was not a creation (e.g. 409 on a taken sku), so retries get the same. */
  async complete(claim: ClaimedKey, status: number, response: unknown): Promise<void> {
    await this.db.update(idempotencyKeys).set({ state: "done", status, response, headers: {} }).where(this.ownedBy(claim));
  }

  /** Gives the key back after a failure that created nothing, so the client can retry at once. */
  async release(claim: ClaimedKey): Promise<void> {
    await this.db.delete(idempotencyKeys).where(this.ownedBy(claim));
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

  /** Still this request's claim: running, and the row version the claim wrote (a takeover writes a new one). */
  private ownedBy(claim: ClaimedKey) {
    return and(this.matches(claim), eq(idempotencyKeys.state, "running"), sql`${idempotencyKeys}.xmin = ${claim.token}::xid`);
  }
}
