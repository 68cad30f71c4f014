import { type SQL, sql } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { instantText } from "./instants";

/**
 * The API's JSON of a row just inserted, built in SQL over the CTE `created` for the stored answer of an
 * idempotent create (modules/idempotency): `columns` in the API's key order, instants as the API's text
 * and decimals as strings, so that a replay is the first answer byte for byte (the column is `json`).
 */
export function createdJson(columns: Record<string, PgColumn>): SQL {
  const entries = Object.entries(columns).map(([key, column]) => {
    const value = sql`created.${sql.identifier(column.name)}`;
    const json = column.dataType === "date" ? instantText(value) : column.columnType === "PgNumeric" ? sql`${value}::text` : value;
    // Keys are property names (identifiers), written as SQL literals.
    return sql`${sql.raw(`'${key}'`)}, ${json}`;
  });
  return sql`json_build_object(${sql.join(entries, sql`, `)})`;
}
