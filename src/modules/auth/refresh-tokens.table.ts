import { sql } from "drizzle-orm";
import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { users } from "../users/users.table";

/**
 * Refresh tokens (OAuth2 `refresh_token` grant), stored only as their SHA-256.
 * Each login starts a family; each use retires the token (`rotated_at`) and adds its
 * successor to the family. Presenting a retired token revokes the whole family
 * (`revoked_at`), since either the client or a thief holds a copy it should not.
 * A token is also dead once its user's `auth_version` moved on (role or password
 * changed), and goes with its user (ON DELETE CASCADE).
 */
export const refreshTokens = pgTable(
  "refresh_tokens",
  {
    id: uuid("id").primaryKey(),
    familyId: uuid("family_id").notNull(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    /** SHA-256 of the token, base64url: the token itself is never stored. */
    tokenHash: text("token_hash").notNull(),
    /** The user's `auth_version` when the family began. */
    authVersion: integer("auth_version").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    expiresAt: timestamp("expires_at", { withTimezone: true, precision: 3 }).notNull(),
    rotatedAt: timestamp("rotated_at", { withTimezone: true, precision: 3 }),
    revokedAt: timestamp("revoked_at", { withTimezone: true, precision: 3 }),
  },
  (table) => [
    uniqueIndex("refresh_tokens_token_hash_unique").on(table.tokenHash),
    index("refresh_tokens_family_id_idx").on(table.familyId),
    // "Has this family a revoked token?" is asked on every refresh: one probe here, whatever the family's length.
    index("refresh_tokens_revoked_family_idx").on(table.familyId).where(sql`${table.revokedAt} is not null`),
    index("refresh_tokens_user_id_idx").on(table.userId),
    index("refresh_tokens_expires_at_idx").on(table.expiresAt),
  ],
);
