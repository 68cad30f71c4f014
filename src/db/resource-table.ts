// The columns every resource table has, and the types the CRUD kit derives from a table: a resource's
// fields are its table's other columns, so a field is defined once, where its column is.

import { getTableColumns } from "drizzle-orm";
import { integer, type PgColumn, type PgTable, timestamp, uuid } from "drizzle-orm/pg-core";
import { isServerOwned, type ServerOwned } from "../core/server-owned";
import type { StatementRow } from "./prepared";

/** `id`, first column of every resource table: a UUIDv7 the service makes (see core/uuid.ts). */
export const resourceId = () => ({ id: uuid("id").primaryKey() });

/** `version`, `createdAt` and `updatedAt`, last columns of every resource table: owned by the service, never written by clients. */
export const resourceStamps = () => ({
  version: integer("version").notNull().default(1),
  // Millisecond precision: the API exposes milliseconds and keyset cursors carry them exactly.
  createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
});

/** A table made with `resourceId()` and `resourceStamps()`. */
export type ResourceTable = PgTable & {
  id: PgColumn;
  version: PgColumn;
  createdAt: PgColumn;
  updatedAt: PgColumn;
};

/** The fields a client writes: every column but the server-owned ones. */
export type FieldKey<Table extends ResourceTable> = Exclude<keyof Table["$inferInsert"] & string, ServerOwned>;

/** An instant travels as RFC 3339 text in the API. */
type ApiValue<Value> = Date extends Value ? Exclude<Value, Date> | string : Value;

/** A resource as the API answers it: every column, instants as text. */
export type ResourceOf<Table extends ResourceTable> = StatementRow<Table> & { id: string; version: number };

/** A create (and PUT) body: the fields, optional where the column is nullable or has a default. */
export type ResourceInput<Table extends ResourceTable> = {
  [Key in keyof Omit<Table["$inferInsert"], ServerOwned>]: ApiValue<Omit<Table["$inferInsert"], ServerOwned>[Key]>;
};

/** A merge-patch body: any of the fields. */
export type ResourcePatch<Table extends ResourceTable> = Partial<ResourceInput<Table>>;

/** Every column of the table by its property name, and its fields (the columns but the server-owned ones), in the table's order. */
export function resourceColumns<Table extends ResourceTable>(table: Table) {
  const columns: Record<string, PgColumn> = getTableColumns(table);
  const fields = Object.entries(columns).filter((entry): entry is [FieldKey<Table>, PgColumn] => !isServerOwned(entry[0]));
  return { columns, fields };
}
