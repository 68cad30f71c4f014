import { getTableColumns, type Query } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./database";
import { isOverlongIdentifier, MAX_IDENTIFIER_BYTES } from "./identifiers";
import { isoInstant } from "./instants";

/**
 * A row of `table` as a prepared statement gives it back: instants (`timestamptz`
 * columns) already as the API's RFC 3339 text, never as a `Date`.
 */
export type StatementRow<Table extends PgTable> = {
  [Key in keyof Table["$inferSelect"]]: Date extends Table["$inferSelect"][Key]
    ? Exclude<Table["$inferSelect"][Key], Date> | string
    : Table["$inferSelect"][Key];
};

/** Runs the statement on one request's database with its placeholders' values. */
export type RowStatement<Row> = (db: Database, values: Record<string, unknown>) => Promise<Row[]>;

/**
 * True when Postgres would cut `name` short, so that two long names could become one statement;
 * `rowStatement` refuses such a name (and the generator, a resource that makes one).
 */
export const isOverlongStatementName = isOverlongIdentifier;

/**
 * A statement built by Drizzle once per process (per isolate on Workers)
 * instead of once per request, returning whole rows of `table`.
 *
 * Building is by far the dearest part of a Drizzle query: about 35–65 µs for a
 * select of one product on the bench machine, against about 2 µs to run one
 * already built; on GET by id it was a third of the request's CPU (issue 7).
 * So the SQL is built once, with `sql.placeholder`s where values go, and each
 * request binds it to its own database (which times its queries)
 * through Drizzle's session, which only wraps it. Being named, it is also
 * parsed and planned by Postgres once per pooled connection instead of on
 * every execution.
 *
 * `build` is handed the first caller's database to build with; it runs
 * nothing. The statement must select (or return) every column of `table`, in
 * the table's order: that is how its rows are mapped.
 *
 * `planEachTime` sends it unnamed instead: still built once, but planned for
 * each execution's values. For statements whose best plan depends on a value,
 * such as a substring search: after five executions Postgres may switch a named
 * statement to a generic plan that cannot use the trigram index for an unknown
 * pattern, and reads every row.
 */
export function rowStatement<Table extends PgTable>(
  name: string,
  table: Table,
  build: (db: Database) => { toSQL(): Query },
  { planEachTime = false }: { planEachTime?: boolean } = {},
): RowStatement<StatementRow<Table>> {
  if (isOverlongStatementName(name)) throw new Error(`statement name over ${MAX_IDENTIFIER_BYTES} bytes: ${name}`);
  const mapRows = rowMapper(table);
  let query: Query | undefined;
  return (db, values) => {
    query ??= build(db).toSQL();
    // Drizzle's own mapping is skipped (`mapRows` is its custom result mapper); `fields` only tells it the rows are arrays.
    return db._.session
      .prepareQuery<{ execute: StatementRow<Table>[]; all: unknown; values: unknown }>(
        query,
        [],
        planEachTime ? undefined : name,
        true,
        mapRows,
      )
      .execute(values);
  };
}

/**
 * Maps rows (arrays, in the table's column order) to objects, decoding each
 * column as Drizzle would, except instants: Drizzle parses their text into a
 * `Date` that the API then formats back into text, about 0.6 µs a value,
 * which on a page of 20 products was a tenth of the request's CPU (issue 7).
 * Other date types have no such decoder here, so a table with one is refused
 * when its statement is defined, not when a request reads a wrong value.
 */
function rowMapper<Table extends PgTable>(table: Table): (rows: unknown[][]) => StatementRow<Table>[] {
  const columns = Object.entries(getTableColumns(table) as Record<string, PgColumn>).map(([key, column]) => ({
    key,
    decode: decoderOf(key, column),
  }));
  return (rows) =>
    rows.map((row) => {
      const decoded: Record<string, unknown> = {};
      columns.forEach(({ key, decode }, index) => {
        const value = row[index];
        decoded[key] = value === null ? null : decode(value);
      });
      return decoded as StatementRow<Table>;
    });
}

function decoderOf(key: string, column: PgColumn): (value: unknown) => unknown {
  if (column.dataType !== "date") return (value) => column.mapFromDriverValue(value);
  if (column.getSQLType().endsWith("with time zone")) return isoInstant;
  throw new Error(`${key}: prepared statements decode no date column but timestamptz, not ${column.getSQLType()}`);
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
 * the family stays bounded. `planEachTime` picks the shapes to plan per
 * execution (see `rowStatement`).
 */
export function rowStatementFamily<Table extends PgTable, Shape>(
  prefix: string,
  table: Table,
  key: (shape: Shape) => string,
  build: (db: Database, shape: Shape) => { toSQL(): Query },
  planEachTime: (shape: Shape) => boolean = () => false,
): (shape: Shape) => RowStatement<StatementRow<Table>> {
  const statements = new Map<string, RowStatement<StatementRow<Table>>>();
  return (shape) => {
    const id = key(shape);
    let statement = statements.get(id);
    if (statement === undefined) {
      statement = rowStatement(`${prefix}_${id}`, table, (db) => build(db, shape), { planEachTime: planEachTime(shape) });
      statements.set(id, statement);
    }
    return statement;
  };
}
