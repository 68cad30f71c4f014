// Constraint violations of a resource's writes, told in the domain's words (see core/domain-errors.ts).
import { getTableColumns } from "drizzle-orm";
import { getTableConfig, type PgColumn } from "drizzle-orm/pg-core";
import { StillReferenced, Taken, UnknownReference } from "../core/domain-errors";
import { constraintName, databaseErrorCode } from "./errors";
import type { ResourceTable } from "./resource-table";

/** Postgres cuts identifiers to 63 bytes (at a character's end) and reports constraints by the cut name. */
function asPostgresKeepsIt(name: string): string {
  let kept = name;
  while (new TextEncoder().encode(kept).length > 63) kept = kept.slice(0, -1);
  return kept;
}

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
  const keyOf = new Map<PgColumn, string>(Object.entries(getTableColumns(table)).map(([key, column]) => [column, key]));
  const uniqueFields = new Map<string, string>();
  for (const [key, column] of Object.entries(getTableColumns(table))) {
    if (column.isUnique && column.uniqueName) uniqueFields.set(column.uniqueName, key);
  }
  const config = getTableConfig(table);
  for (const constraint of config.uniqueConstraints) {
    const [column] = constraint.columns;
    if (constraint.columns.length === 1 && column) uniqueFields.set(constraint.getName() ?? "", keyOf.get(column) ?? column.name);
  }
  const referenceFields = new Map<string, string>();
  for (const foreignKey of config.foreignKeys) {
    const [column] = foreignKey.reference().columns;
    if (column) referenceFields.set(foreignKey.getName(), keyOf.get(column) ?? column.name);
  }
  const field = (fields: Map<string, string>, error: unknown) => {
    const name = constraintName(error) ?? "";
    return [...fields].find(([constraint]) => asPostgresKeepsIt(constraint) === name)?.[1] ?? "(root)";
  };
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
