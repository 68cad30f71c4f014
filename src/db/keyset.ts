import { asc, desc, type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { z } from "zod";
import { InvalidCursor } from "../core/domain-errors";
import { decodeCursor, encodeCursor } from "./cursor";

/** `key` ascending or `-key` descending. */
export type SortParam<Key extends string> = Key | `-${Key}`;

export interface KeysetRequest<Key extends string> {
  sort: SortParam<Key>;
  /** Sortable columns by API name; each list also orders by `id` to break ties. */
  columns: Record<Key, PgColumn>;
  idColumn: PgColumn;
  limit: number;
  cursor: string | undefined;
  /** The list's filters: a cursor is only valid with the filters it was made for. */
  filters: readonly unknown[];
}

const cursorSchema = z.strictObject({
  s: z.string(),
  f: z.string(),
  k: z.union([z.string().max(400), z.number().int()]),
  i: z.uuid(),
});

const rfc3339Millis = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const INT4_MIN = -2_147_483_648;
const INT4_MAX = 2_147_483_647;

/**
 * An instant Postgres can take back exactly as issued: `Date.parse` accepts Feb 30 or
 * 24:00 (and moves them), and year 0000, which Postgres refuses (22008, a 500 before).
 */
const isIssuedInstant = (value: string) =>
  rfc3339Millis.test(value) && !value.startsWith("0000") && !Number.isNaN(Date.parse(value)) && new Date(value).toISOString() === value;

function sortKey<Key extends string>(sort: SortParam<Key>): { key: Key; descending: boolean } {
  return sort.startsWith("-") ? { key: sort.slice(1) as Key, descending: true } : { key: sort as Key, descending: false };
}

/** The key of a cursor this API issued for `column`; anything else means a forged cursor. */
function checkedKey(column: PgColumn, value: string | number): string | number {
  const forged = () => new InvalidCursor("is not a cursor this API issued");
  if (column.dataType === "number") {
    // Sort columns are `integer`: a key outside it would make Postgres raise 22003 (a 500 before).
    if (typeof value !== "number" || value < INT4_MIN || value > INT4_MAX) throw forged();
    return value;
  }
  if (typeof value !== "string") throw forged();
  if (column.dataType === "date" && !isIssuedInstant(value)) throw forged();
  if (value.includes("\u0000")) throw forged();
  return value;
}

/** A key (value or placeholder) cast to the column's type, as the row comparison needs it. */
function castKey(column: PgColumn, key: unknown): SQL {
  if (column.dataType === "number") return sql`${key}::integer`;
  if (column.dataType === "date") return sql`${key}::timestamptz`;
  return sql`${key}`;
}

/** Where a page starts: after the row a cursor names, checked against the sort and filters it was made for. */
export interface KeysetPosition {
  key: string | number;
  id: string;
}

export function keysetPosition<Key extends string>(request: KeysetRequest<Key>): KeysetPosition | undefined {
  if (request.cursor === undefined) return undefined;
  const cursor = decodeCursor(request.cursor, cursorSchema);
  if (cursor.s !== request.sort) throw new InvalidCursor(`was made for sort=${cursor.s}, not sort=${request.sort}`);
  if (cursor.f !== JSON.stringify(request.filters)) throw new InvalidCursor("was made for other filters");
  return { key: checkedKey(request.columns[sortKey(request.sort).key], cursor.k), id: cursor.i };
}

/**
 * The ORDER BY of a sort and, when `after` is given, the condition that starts
 * the page after that position. `after` holds values or `sql.placeholder`s
 * (for a statement built once). The row comparison `(column, id) > (key, id)`
 * walks the `(column, id)` index from the cursor on, so rows inserted
 * meanwhile are never repeated and never cause a skip.
 */
export function keysetOrder<Key extends string>(
  request: Pick<KeysetRequest<Key>, "sort" | "columns" | "idColumn">,
  after?: { key: unknown; id: unknown },
): { orderBy: SQL[]; after: SQL | undefined } {
  const { key, descending } = sortKey(request.sort);
  const column = request.columns[key];
  const orderBy = descending ? [desc(column), desc(request.idColumn)] : [asc(column), asc(request.idColumn)];
  if (after === undefined) return { orderBy, after: undefined };
  const position = sql`(${castKey(column, after.key)}, ${after.id})`;
  return {
    orderBy,
    after: descending ? sql`(${column}, ${request.idColumn}) < ${position}` : sql`(${column}, ${request.idColumn}) > ${position}`,
  };
}

/** The WHERE condition, ORDER BY and LIMIT of one keyset page, with the cursor's values inline. */
export function keysetQuery<Key extends string>(request: KeysetRequest<Key>) {
  const { orderBy, after } = keysetOrder(request, keysetPosition(request));
  // One row more than the page tells whether a next page exists, without a COUNT.
  return { after, orderBy, limit: request.limit + 1 };
}

/** Trims the extra row and makes the cursor that continues after the page's last row. */
export function keysetPage<Key extends string, Row extends { id: string } & Record<Key, unknown>>(
  request: KeysetRequest<Key>,
  rows: Row[],
): { rows: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, request.limit);
  const last = page.at(-1);
  if (rows.length <= request.limit || !last) return { rows: page, nextCursor: null };
  const { key } = sortKey(request.sort);
  const value = last[key];
  const k = value instanceof Date ? value.toISOString() : value;
  return { rows: page, nextCursor: encodeCursor({ s: request.sort, f: JSON.stringify(request.filters), k, i: last.id }) };
}
