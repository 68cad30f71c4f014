import { and, type ColumnsSelection, eq, lt, type SQL, sql } from "drizzle-orm";
import type { WithSubqueryWithSelection } from "drizzle-orm/pg-core";
import type { TypedQueryBuilder } from "drizzle-orm/query-builders/query-builder";
import { ApiError } from "../../core/errors";
import type { Database } from "../../db/database";
import { databaseErrorCode, isUniqueViolation } from "../../db/errors";
import { retryIfDropped } from "../../db/retry";
import { type IdempotencyRow, idempotencyKeys } from "./idempotency.table";
import type { IdempotencyScope } from "./idempotency-scope";

/** Keys are kept at least this long (the contract promises 24 hours). */
export const RETENTION_HOURS = 24;

export type { IdempotencyScope };

/** Raised by a create whose key another request is using right now (see `createWithAnswer`): 409, retry shortly. */
export class KeyInUse extends ApiError {
  constructor() {
    super("conflict", "A request with this Idempotency-Key is still being processed.", { headers: { "Retry-After": "1" } });
  }
}

/** Raised by a create whose key already has an answer; the middleware replays it (or refuses another body). */
export class KeyAnswered extends ApiError {
  constructor(readonly stored: IdempotencyRow) {
    super("conflict", "This Idempotency-Key already has an answer.");
  }
}

/** When a key stored now may be purged. */
const expiresAt = sql`now() + make_interval(hours => ${RETENTION_HOURS})`;

/** The key's lock as a number: a transaction-level advisory lock, held until the create statement commits or fails. */
const keyLock = (scope: IdempotencyScope) => sql`hashtextextended(${scope.userId} || ' ' || ${scope.key}, 0)`;

/** Every SQL statement for idempotency keys. */
export class IdempotencyRepository {
  constructor(private readonly db: Database) {}

  /**
   * Creates a resource and stores its answer under the key in ONE statement:
   * one round trip, and a crash or a dropped connection leaves neither or both.
   * `insert` builds the INSERT … RETURNING with the fenced id it is given;
   * `answer` is the stored 201 body and headers, SQL over the CTE `created`.
   *
   * The statement first tries the key's advisory lock. While another request
   * holds it (its own create is running), the fenced id is NULL, the insert
   * fails on it (23502) and nothing is written: `KeyInUse`, 409. Otherwise the
   * key row is inserted beside the resource; if the key already has an answer,
   * that insert fails on the key's primary key (or the resource's own unique
   * columns fail first, a retry carrying the same body): nothing is written
   * either, and a second statement reads the stored answer (`KeyAnswered`,
   * which the middleware replays or refuses). There is no "running"
   * state to clean up after a crash: a transaction that dies takes its lock
   * and its rows with it.
   *
   * Safe to repeat when the connection drops: if the dropped attempt did
   * commit, the repeat finds the key answered (the client gets the replay).
   */
  async createWithAnswer<TSelection extends ColumnsSelection, TRow>(
    scope: IdempotencyScope,
    insert: (fencedId: (id: string | SQL) => SQL) => TypedQueryBuilder<TSelection>,
    answer: { body: SQL; headers: SQL },
    // Reads the created rows; written at the call site, where the row type is known.
    read: (statement: ReturnType<Database["with"]>, created: WithSubqueryWithSelection<TSelection, "created">) => Promise<TRow[]>,
  ): Promise<TRow[]> {
    const lock = this.db
      .$with("key_lock", { free: sql<boolean>`free` })
      .as(sql`select pg_try_advisory_xact_lock(${keyLock(scope)}) as free`);
    const created = this.db.$with("created").as(insert((id) => sql`(select ${id}::uuid from ${lock} where free)`));
    const saved = this.db.$with("saved").as(
      this.db
        .insert(idempotencyKeys)
        .values({
          userId: scope.userId,
          key: scope.key,
          requestHash: scope.requestHash,
          status: 201,
          response: sql`(select ${answer.body} from created)`,
          headers: sql`(select ${answer.headers} from created)`,
          expiresAt,
        })
        .returning({ key: idempotencyKeys.key }),
    );
    return retryIfDropped(() => read(this.db.with(lock, created, saved), created)).catch(async (error: unknown) => {
      const busy = databaseErrorCode(error) === "23502";
      // Only on these failure paths, a second statement. Busy: a twin holds the key's lock, or a finished
      // request still did for a moment (Postgres reports a statement's error before its transaction lets go
      // of its locks), in which case the key has its answer. Unique: was it the key, or another row's value?
      const stored = busy || isUniqueViolation(error) ? await this.find(scope) : undefined;
      if (busy && !stored) throw new KeyInUse();
      if (stored) throw new KeyAnswered(stored);
      throw error;
    });
  }

  /** The stored answer under the key, if any. */
  async find(scope: IdempotencyScope): Promise<IdempotencyRow | undefined> {
    const [row] = await this.db.select().from(idempotencyKeys).where(this.matches(scope));
    return row;
  }

  /** Stores an answer that was not a creation (e.g. 409 on a taken sku), so retries get the same; a twin's stored first wins. */
  async keep(scope: IdempotencyScope, status: number, response: unknown): Promise<void> {
    await this.db
      .insert(idempotencyKeys)
      .values({ ...scope, status, response, headers: {}, expiresAt })
      .onConflictDoNothing();
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
