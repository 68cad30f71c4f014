import { ilike, or, type SQL, type SQLWrapper } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";

/** The ILIKE pattern of a substring: `%` and `_` in user input are literal characters, not wildcards. */
export const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;

/** Case-insensitive match of an ILIKE pattern (a value or a placeholder) on any of the columns (served by trigram indexes). */
export function containsPattern(pattern: string | SQLWrapper, ...columns: PgColumn[]): SQL | undefined {
  return or(...columns.map((column) => ilike(column, pattern)));
}

/** Case-insensitive substring match on any of the columns. */
export const containsText = (text: string, ...columns: PgColumn[]) => containsPattern(likePattern(text), ...columns);
