import { or, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/**
 * Text folded so that comparing folded values is case-insensitive in every script, whatever the
 * database's locale (the embedded cluster's is `C`, Neon's `C.UTF-8`: neither folds `É` to `é`).
 * - Lower then upper case by ICU's language-neutral root locale (`und-x-icu`, in every Postgres built
 *   with ICU, Neon's included): full case mappings, so `ß`, `ẞ` and `SS` match, `σ`/`ς` match `Σ`, `ǅ`
 *   matches `ǆ`, `ﬁ` matches `FI` (close to Unicode case folding, which Postgres has only from 18 on).
 *   No language's special rule: Turkish `İ` stays apart from `i` (`ı` matches `i`).
 * - Then NFC: a text and its decomposed spelling (`e` + U+0301 for `é`) fold alike, and mapping case
 *   before composing also brings `ΐ` and `Ϊ́` together. Accents still count: `e` does not find `é`.
 * Immutable, so expression indexes can use it: a unique index for e-mails, trigram indexes for `q`.
 * Queries must use this same expression to be served by them. After an ICU upgrade that changes case
 * mappings, REINDEX them (Postgres warns about the collation version).
 */
export const folded = (text: SQLWrapper | string): SQL => sql`normalize(upper(lower(${text}::text collate "und-x-icu")), NFC)`;

/** The LIKE pattern of a substring: `%` and `_` in user input are literal characters, not wildcards. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/**
 * Case-insensitive match of a LIKE pattern (a value or a placeholder) on any of the columns, both sides
 * folded; trigram GIN indexes on `folded(column)` serve it. pg_trgm takes its letters from the database's
 * character classes: under `C.UTF-8` (Neon) every script makes trigrams; under `C` (the embedded cluster)
 * only ASCII letters do, so there a pattern without any (Greek or Cyrillic only) is answered by reading
 * every row.
 */
export function containsPattern(pattern: string | SQLWrapper, ...columns: PgColumn[]): SQL | undefined {
  return or(...columns.map((column) => sql`${folded(column)} like ${folded(pattern)}`));
}

/** Case-insensitive substring match on any of the columns. */
export const containsText = (text: string, ...columns: PgColumn[]) => containsPattern(likePattern(text), ...columns);
