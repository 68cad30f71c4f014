import { getTableColumns, type Query } from "drizzle-orm";
import type { PgTable, SelectedFieldsOrdered } from "drizzle-orm/pg-core";
import type { Database } from "./database";

/** Runs the statement on one request's database with its placeholders' values. */
export type RowStatement<Row> = (db: Database, values: Record<string, unknown>) => Promise<Row[]>;

/** Postgres cuts identifiers, statement names included, to 63 bytes: two long names could become one. */
const MAX_NAME_BYTES = 63;

/**
 * A statement built by Drizzle once per process (per isolate on Workers)
 * instead of once per request, returning whole rows of `table`.
 *
 * Building is by far the dearest part of a Drizzle query: about 35–65 µs for a
 * select of one product on the bench machine, against about 2 µs to run one
 * already built; on GET by id it was a third of the request's CPU (issue 7).
 * So the SQL is built once, with `sql.placeholder`s where values go, and each
 * request binds it to its own database (its lease, which times its queries)
 * through Drizzle's session, which only wraps it. Being named, it is also
 * parsed and planned by Postgres once per pooled connection instead of on
 * every execution.
 *
 * `build` is handed the first caller's database to build with; it runs
 * nothing. The statement must select (or return) every column of `table`, in
 * the table's order: that is how its rows are mapped.
 */
export function rowStatement<Table extends PgTable>(
  name: string,
  table: Table,
  build: (db: Database) => { toSQL(): Query },
): RowStatement<Table["$inferSelect"]> {
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) throw new Error(`statement name over ${MAX_NAME_BYTES} bytes: ${name}`);
  const fields: SelectedFieldsOrdered = Object.entries(getTableColumns(table)).map(([key, column]) => ({ path: [key], field: column }));
  let query: Query | undefined;
  return (db, values) => {
    query ??= build(db).toSQL();
    return db._.session
      .prepareQuery<{ execute: Table["$inferSelect"][]; all: unknown; values: unknown }>(query, fields, name, true)
      .execute(values);
  };
}

/**
 * Flags as a short part of a statement's name: a bit each, in base 36, so that
 * a name stays unambiguous and within Postgres' 63 bytes however many flags
 * (columns set, filters present) a shape has.
 */
export const flagBits = (flags: readonly boolean[]) =>
  flags.reduce((bits, flag, index) => (flag ? bits | (1n << BigInt(index)) : bits), 0n).toString(36);

/**
 * Statements of one family built on first use, one per shape: a PATCH that
 * sets `name` and one that sets `priceCents` are different SQL. `shape` must
 * come from a small fixed set (column names, flags), never from raw input, so
 * the family stays bounded.
 */
export function rowStatementFamily<Table extends PgTable, Shape>(
  prefix: string,
  table: Table,
  key: (shape: Shape) => string,
  build: (db: Database, shape: Shape) => { toSQL(): Query },
): (shape: Shape) => RowStatement<Table["$inferSelect"]> {
  const statements = new Map<string, RowStatement<Table["$inferSelect"]>>();
  return (shape) => {
    const id = key(shape);
    let statement = statements.get(id);
    if (statement === undefined) {
      statement = rowStatement(`${prefix}_${id}`, table, (db) => build(db, shape));
      statements.set(id, statement);
    }
    return statement;
  };
}
