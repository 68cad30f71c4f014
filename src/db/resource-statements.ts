// The statements helper every resource repository uses: a resource's prepared statements (see prepared.ts),
// its keyset list and its failure-path read, built from its table and its list's declared sorts and filters.
import { and, eq, gte, lte, type SQL, sql } from "drizzle-orm";
import type { PgColumn, PgTable } from "drizzle-orm/pg-core";
import type { Database } from "./database";
import { keysetOrder } from "./keyset";
import { flagBits, type RowStatement, rowStatement, rowStatementFamily, type StatementRow } from "./prepared";
import { type FieldKey, type ResourceOf, type ResourceTable, resourceColumns } from "./resource-table";
import { containsPattern } from "./search";
import { versionedChange } from "./versions";

/** A list filter: the query parameter `name` compares the field with its value. */
export interface ListFilter<Table extends ResourceTable> {
  name: string;
  field: FieldKey<Table>;
  op: "eq" | "gte" | "lte";
}

export interface ListOptions<Table extends ResourceTable> {
  /** Sortable fields besides `createdAt`; each needs an index on `(column, id)`. */
  sorts: readonly FieldKey<Table>[];
  /** Fields `q` matches as a case-insensitive substring (trigram indexes on `folded(column)` serve it). */
  search: readonly FieldKey<Table>[];
  filters: readonly ListFilter<Table>[];
}

/** Which filters a list has and where it starts: its statement's shape (the values are placeholders). */
export interface ListShape {
  sort: string;
  q: boolean;
  /** Per declared filter, in order: present or not. */
  filters: readonly boolean[];
  after: boolean;
}

// The service's own placeholders; a field may not be named like them (the generator refuses `id`, `q`, `limit`).
const placeholder = sql.placeholder;
const ID = "id";
const EXPECTED_VERSION = "expected_version";
export const LIST_PLACEHOLDERS = { q: "q", afterKey: "after_key", afterId: "after_id", limit: "limit" } as const;

const compare = { eq, gte, lte } as const;

/** A resource table's rows have an `id` and a `version` (see ResourceTable), which `StatementRow` cannot see through a generic table. */
const resourceRows = <Table extends ResourceTable>(statement: RowStatement<StatementRow<Table>>) =>
  statement as RowStatement<ResourceOf<Table>>;
const resourceFamily =
  <Table extends ResourceTable, Shape>(family: (shape: Shape) => RowStatement<StatementRow<Table>>) =>
  (shape: Shape) =>
    resourceRows(family(shape));

export interface ResourceStatements<Table extends ResourceTable> {
  sortColumns: Record<string, PgColumn>;
  selectById: RowStatement<ResourceOf<Table>>;
  /** Binds `id` and every field by its key. Instants are bound as RFC 3339 text (see `boundAsText`). */
  insert: RowStatement<ResourceOf<Table>>;
  /** `id`, the fields it sets, and `expected_version` when pinned. */
  update(shape: { fields: readonly FieldKey<Table>[]; pinned: boolean }): RowStatement<ResourceOf<Table>>;
  /** `q` (a LIKE pattern), each present filter by its name, `after_key`/`after_id`, `limit`. */
  list(shape: ListShape): RowStatement<ResourceOf<Table>>;
  /** `id`, `expected_version` when pinned, and the guard's placeholders when guarded. */
  remove(shape: { pinned: boolean; guarded: boolean }): RowStatement<ResourceOf<Table>>;
  /** Failure path only: the stored version of the row, if there is one. */
  currentVersion(db: Database, id: string): Promise<number | undefined>;
}

/**
 * Where a written field's value comes from. Drizzle's timestamp encoder calls `toISOString()` even on
 * null, so instants are bound past it, as the RFC 3339 text the API takes, and Postgres casts them.
 * Every write of a resource binds its values this way (the idempotent create too, see crud/repository.ts).
 */
export function boundAsText(column: PgColumn): boolean {
  return column.dataType === "date";
}

/**
 * The statements of one resource, built on first use and reused for the process's life. `prefix` names
 * them (`products_insert`, …); `guard` is an extra condition of DELETE bound from placeholders (the
 * caller's stored role).
 */
export function resourceStatements<Table extends ResourceTable>(
  table: Table,
  prefix: string,
  list: ListOptions<Table>,
  guard: SQL,
): ResourceStatements<Table> {
  // Drizzle's builders are typed for one known table; the kit builds for any, so it hands them the plain table type.
  const rows: PgTable = table;
  const { columns, fields: fieldColumns } = resourceColumns(table);
  const fields = fieldColumns.map(([key]) => key);
  const written = (key: string) => {
    const column = columns[key] as PgColumn;
    return boundAsText(column) ? sql`${placeholder(key)}` : placeholder(key);
  };
  const byId = eq(table.id, placeholder(ID));
  const pinnedVersion = (pinned: boolean) => (pinned ? eq(table.version, placeholder(EXPECTED_VERSION)) : undefined);
  const sortColumns = Object.fromEntries(["createdAt", ...list.sorts].map((key) => [key, columns[key] as PgColumn]));
  const searched = list.search.map((key) => columns[key] as PgColumn);

  return {
    sortColumns,
    selectById: resourceRows(rowStatement(`${prefix}_select_by_id`, table, (db) => db.select().from(rows).where(byId))),
    insert: resourceRows(
      rowStatement(`${prefix}_insert`, table, (db) =>
        db
          .insert(rows)
          .values({ id: placeholder(ID), ...Object.fromEntries(fields.map((key) => [key, written(key)])) })
          .returning(),
      ),
    ),
    update: resourceFamily(
      rowStatementFamily(
        `${prefix}_update`,
        table,
        (shape: { fields: readonly FieldKey<Table>[]; pinned: boolean }) =>
          `${flagBits(fields.map((key) => shape.fields.includes(key)))}${shape.pinned ? "_v" : ""}`,
        (db, shape) => {
          const values = Object.fromEntries(shape.fields.map((key) => [key, written(key)]));
          return db
            .update(rows)
            .set({ ...values, ...versionedChange(table, values) })
            .where(and(byId, pinnedVersion(shape.pinned)))
            .returning();
        },
      ),
    ),
    list: resourceFamily(
      rowStatementFamily(
        `${prefix}_list`,
        table,
        (shape: ListShape) => `${shape.sort.replace("-", "d_")}_${flagBits([shape.q, ...shape.filters, shape.after])}`,
        (db, shape) => {
          const { orderBy, after } = keysetOrder(
            { sort: shape.sort, columns: sortColumns, idColumn: table.id },
            shape.after ? { key: placeholder(LIST_PLACEHOLDERS.afterKey), id: placeholder(LIST_PLACEHOLDERS.afterId) } : undefined,
          );
          // Filter values reach the driver as they are, past the column's encoder: they are numbers, text, booleans and ids.
          const filters = list.filters.map((filter, index) =>
            shape.filters[index] ? compare[filter.op](columns[filter.field] as PgColumn, placeholder(filter.name)) : undefined,
          );
          return db
            .select()
            .from(rows)
            .where(and(shape.q ? containsPattern(placeholder(LIST_PLACEHOLDERS.q), ...searched) : undefined, ...filters, after))
            .orderBy(...orderBy)
            .limit(placeholder(LIST_PLACEHOLDERS.limit));
        },
        // A substring search is planned for its pattern each time, so it keeps using the trigram indexes (see rowStatement).
        (shape) => shape.q,
      ),
    ),
    remove: resourceFamily(
      rowStatementFamily(
        `${prefix}_delete`,
        table,
        (shape: { pinned: boolean; guarded: boolean }) => `${shape.pinned ? "v" : "any"}${shape.guarded ? "_r" : ""}`,
        (db, shape) =>
          db
            .delete(rows)
            .where(and(byId, pinnedVersion(shape.pinned), shape.guarded ? guard : undefined))
            .returning(),
      ),
    ),
    async currentVersion(db, id) {
      const [row] = await db.select({ version: table.version }).from(rows).where(eq(table.id, id));
      return row?.version as number | undefined;
    },
  };
}

/** The placeholders' values of an `update` or `remove`: the id and, when pinned, the expected version. */
export const target = (id: string, expectedVersion: number | undefined) => ({ [ID]: id, [EXPECTED_VERSION]: expectedVersion });
