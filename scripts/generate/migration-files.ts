// What the generator's summary says about migrations: the file names drizzle-kit really writes,
// read from its journal (drizzle/meta/_journal.json), never a placeholder.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

interface JournalEntry {
  idx: number;
  tag: string;
}

function journalEntries(root: string): JournalEntry[] {
  const file = path.join(root, "drizzle/meta/_journal.json");
  if (!existsSync(file)) return [];
  const journal: unknown = JSON.parse(readFileSync(file, "utf8"));
  const entries = typeof journal === "object" && journal !== null && "entries" in journal ? journal.entries : undefined;
  if (!Array.isArray(entries)) return [];
  return entries.filter(
    (entry): entry is JournalEntry =>
      typeof entry === "object" && entry !== null && typeof entry.idx === "number" && typeof entry.tag === "string",
  );
}

/** Every migration in the journal, as `drizzle/<tag>.sql`. */
export function migrationFiles(root: string): string[] {
  return journalEntries(root).map((entry) => `drizzle/${entry.tag}.sql`);
}

/**
 * The file `drizzle-kit generate --name=<name>` writes next: numbered after the journal's last
 * entry, as drizzle-kit numbers it (its default `index` prefix, four digits). For a dry run.
 */
export function nextMigrationFile(root: string, name: string): string {
  const last = journalEntries(root).at(-1);
  const idx = last === undefined ? 0 : last.idx + 1;
  return `drizzle/${String(idx).padStart(4, "0")}_${name}.sql`;
}
