import { index, integer, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per (user, Idempotency-Key): claimed as `running`, then `done` with the
 * answer to replay. The answer is written by the same statement that creates the
 * resource, so a crash leaves neither or both.
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    // The token subject: a user id, or an external identity provider's subject.
    userId: text("user_id").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of method, path and body: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    state: text("state", { enum: ["running", "done"] }).notNull(),
    status: integer("status"),
    response: jsonb("response"),
    headers: jsonb("headers").$type<Record<string, string>>(),
    lockedAt: timestamp("locked_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.key] }), index("idempotency_keys_expires_at_idx").on(table.expiresAt)],
);

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;
