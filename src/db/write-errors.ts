// Constraint violations of a resource's writes, told in the domain's words (see core/domain-errors.ts).
import { getTableColumns } from "drizzle-orm";
import { getTableConfig, type PgColumn } from "drizzle-orm/pg-core";
import { StillReferenced, Taken, UnknownReference } from "../core/domain-errors";
import { constraintName, databaseErrorCode } from "./errors";
import { asPostgresKeepsIt } from "./identifiers";
import type { ResourceTable } from "./resource-table";

export interface WriteErrors {
  /** For inserts and updates: a taken unique value (`Taken`) or a reference to nothing (`UnknownReference`). */
  write(error: unknown): never;
  /** For deletes: other rows still refer to this one (`StillReferenced`). */
  remove(error: unknown): never;
}

/**
 * The field each unique constraint and foreign key of `table` guards, read from the table itself, so a
 * new unique or reference column is explained without a line here. `resource` is the name in prose.
 */
export function writeErrors(table: ResourceTable, resource: string): WriteErrors {
  const columns = Object.entries(getTableColumns(table));
  const keyOf = new Map<PgColumn, string>(columns.map(([key, column]) => [column, key]));
  // Keyed by the names as Postgres keeps and reports them: cut to 63 bytes.
  const uniqueFields = new Map<string, string>();
  for (const [key, column] of columns) {
    if (column.isUnique && column.uniqueName) uniqueFields.set(asPostgresKeepsIt(column.uniqueName), key);
  }
  const config = getTableConfig(table);
  for (const constraint of config.uniqueConstraints) {
    const [column] = constraint.columns;
    if (constraint.columns.length === 1 && column)
      uniqueFields.set(asPostgresKeepsIt(constraint.getName() ?? ""), keyOf.get(column) ?? column.name);
  }
  const referenceFields = new Map<string, string>();
  for (const foreignKey of config.foreignKeys) {
    const [column] = foreignKey.reference().columns;
    if (column) referenceFields.set(asPostgresKeepsIt(foreignKey.getName()), keyOf.get(column) ?? column.name);
  }
  const field = (fields: Map<string, string>, error: unknown) => fields.get(constraintName(error) ?? "") ?? "(root)";
  return {
    write(error) {
      const code = databaseErrorCode(error);
      if (code === "23505") throw new Taken(resource, field(uniqueFields, error));
      if (code === "23503") throw new UnknownReference(field(referenceFields, error));
      throw error;
    },
    remove(error) {
      if (databaseErrorCode(error) === "23503") throw new StillReferenced(resource);
      throw error;
    },
  };
}
