import { eq } from "drizzle-orm";
import { bigint, pgSchema, serial, text } from "drizzle-orm/pg-core";
// Imported, not read from disk: the Worker has no file system, so the journal is bundled.
import journal from "../../../drizzle/meta/_journal.json" with { type: "json" };
import type { Database } from "../../db/database";
import { databaseErrorCode } from "../../db/errors";

/** Drizzle's migrator records each applied migration here, with `created_at` = the journal's `when`. */
const appliedMigrations = pgSchema("drizzle").table("__drizzle_migrations", {
  id: serial("id").primaryKey(),
  hash: text("hash").notNull(),
  createdAt: bigint("created_at", { mode: "number" }),
});

/** The newest migration this build ships (the last journal entry). */
export function latestMigration(): { tag: string; when: number } {
  const latest = journal.entries.at(-1);
  if (!latest) throw new Error("drizzle/meta/_journal.json lists no migration");
  return latest;
}

/**
 * One statement answers both readiness questions: that the database responds
 * at all, and whether the newest migration is recorded. One round trip keeps
 * `/ready` cheap at the edge.
 */
export async function migrationsApplied(db: Database, migration: { when: number }): Promise<boolean> {
  try {
    const rows = await db
      .select({ id: appliedMigrations.id })
      .from(appliedMigrations)
      .where(eq(appliedMigrations.createdAt, migration.when))
      .limit(1);
    return rows.length > 0;
  } catch (error) {
    // No bookkeeping table (42P01) or schema (3F000): the database answered, nothing was ever migrated.
    const code = databaseErrorCode(error);
    if (code === "42P01" || code === "3F000") return false;
    throw error;
  }
}
