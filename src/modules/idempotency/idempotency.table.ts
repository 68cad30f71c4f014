import { index, integer, json, jsonb, pgTable, primaryKey, text, timestamp } from "drizzle-orm/pg-core";

/**
 * One row per (user, Idempotency-Key) with the answer to replay. A 201 is written
 * by the same statement that creates the resource, so a crash leaves neither or
 * both; a request still running holds the key's advisory lock, not a row
 * (idempotency.repository.ts).
 */
export const idempotencyKeys = pgTable(
  "idempotency_keys",
  {
    // Whose key: a local user id, or `<issuer>#<sub>` for an external identity provider's subject.
    userId: text("user_id").notNull(),
    key: text("key").notNull(),
    /** SHA-256 of method, path and body: the same key with another request is refused. */
    requestHash: text("request_hash").notNull(),
    status: integer("status").notNull(),
    // json, not jsonb: a replay must be the first answer byte for byte, and jsonb reorders keys.
    response: json("response").notNull(),
    headers: jsonb("headers").$type<Record<string, string>>().notNull(),
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.userId, table.key] }), index("idempotency_keys_expires_at_idx").on(table.expiresAt)],
);

export type IdempotencyRow = typeof idempotencyKeys.$inferSelect;
