import { Column, getTableColumns, is, SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";

/** A table whose rows carry the optimistic-concurrency `version` and an `updatedAt`. */
type VersionedTable = PgTable & { version: PgColumn; updatedAt: PgColumn };

/**
 * True, in SQL, when writing `values` (column key → value, placeholder or SQL,
 * as given to Drizzle's `set`) would change the row: some column `IS DISTINCT
 * FROM` its new value (null-safe). Inside an UPDATE's SET the columns still
 * read the old row. No values: false.
 */
export function changesRow(table: PgTable, values: Record<string, unknown>): SQL {
  const columns: Record<string, PgColumn> = getTableColumns(table);
  const comparisons = Object.entries(values).map(([key, value]) => {
    const column = columns[key];
    if (!column) throw new Error(`changesRow: ${key} is not a column`);
    // Bound as Drizzle's `set` binds it (through the column's encoder), so the comparison sees the value the UPDATE writes.
    const written = is(value, SQL) || is(value, Column) ? value : sql.param(value, column);
    return sql`${column} is distinct from ${written}`;
  });
  return comparisons.length === 0 ? sql`false` : sql`(${sql.join(comparisons, sql` or `)})`;
}

/** `counter + 1` when `changed`, else the counter as it is. */
export const raisedWhen = (changed: SQL, counter: PgColumn): SQL => sql`case when ${changed} then ${counter} + 1 else ${counter} end`;

/**
 * The `version` and `updatedAt` of an UPDATE that writes `values`: moved only
 * when the write changes something. A merge patch that changes nothing (`{}`,
 * or the stored values) is no change (RFC 7396), so it keeps the version, the
 * ETag and the time, still in the one UPDATE (which still checks `If-Match`).
 */
export function versionedChange(table: VersionedTable, values: Record<string, unknown>): { version: SQL; updatedAt: SQL } {
  const changed = changesRow(table, values);
  return {
    version: raisedWhen(changed, table.version),
    updatedAt: sql`case when ${changed} then now() else ${table.updatedAt} end`,
  };
}
