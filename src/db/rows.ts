import type { SQL } from "drizzle-orm";
import type { Database } from "./database";

/** The one row an INSERT … RETURNING must give back. */
export function firstRow<T>(rows: T[]): T {
  const [row] = rows;
  if (row === undefined) throw new Error("INSERT … RETURNING returned no row");
  return row;
}

/**
 * The rows of a statement written in SQL (one Drizzle's builders cannot express, such as
 * several data-modifying CTEs): both drivers, node-postgres and Neon's over HTTP, answer
 * `{ rows }` with one object per row. `Row` is the caller's promise about the columns.
 */
export async function rawRows<Row>(db: Database, query: SQL): Promise<Row[]> {
  const result: unknown = await db.execute(query);
  const rows = typeof result === "object" && result !== null && "rows" in result ? result.rows : undefined;
  if (!Array.isArray(rows)) throw new Error("the driver answered a statement without rows");
  return rows as Row[];
}
