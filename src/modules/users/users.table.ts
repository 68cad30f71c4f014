import { sql } from "drizzle-orm";
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid, varchar } from "drizzle-orm/pg-core";
import { folded } from "../../db/search";

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey(),
    email: varchar("email", { length: 320 }).notNull(),
    role: text("role", { enum: ["viewer", "editor", "admin"] }).notNull(),
    // Self-describing: algorithm and parameters travel with the hash (see core/auth/password.ts).
    passwordHash: text("password_hash").notNull(),
    version: integer("version").notNull().default(1),
    // Raised with every change of role or password: access and refresh tokens carry the value they
    // were issued under, and admin operations and refreshes refuse a token whose value is stale.
    authVersion: integer("auth_version").notNull().default(1),
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    // E-mails are unique case-insensitively in every script (folded); the login lookup uses the same expression.
    uniqueIndex("users_email_folded_unique").on(folded(table.email)),
    // `q` on the list is a substring of the folded e-mail, served like products' search.
    index("users_email_folded_trgm_idx").using("gin", sql`${folded(table.email)} gin_trgm_ops`),
    index("users_created_at_id_idx").on(table.createdAt, table.id),
    index("users_role_idx").on(table.role),
    check("users_role_known", sql`${table.role} in ('viewer', 'editor', 'admin')`),
  ],
);

export type UserRow = typeof users.$inferSelect;
