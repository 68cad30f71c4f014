// `defineResource`: a table plus what the API adds to it (words, field rules, sorts, search, filters)
// becomes a whole CRUD resource: schemas, statements, repository, routes and router.
import type { PgColumn } from "drizzle-orm/pg-core";
import { createdJson } from "../../db/created-json";
import type { Database } from "../../db/database";
import { resourceStatements } from "../../db/resource-statements";
import { type FieldKey, type ResourceTable, resourceColumns } from "../../db/resource-table";
import { writeErrors } from "../../db/write-errors";
import { storedRoleAtLeastPlaceholders } from "../users/stored-role";
import { defaultValue, type FieldOptions } from "./fields";
import { capitaliseFirst, namesOf, type ResourceNames } from "./names";
import { ResourceRepository } from "./repository";
import { resourceRoutes } from "./routes";
import { type DeclaredFilter, resourceSchemas } from "./schemas";

export interface ResourceDeclaration<Table extends ResourceTable> {
  /** Kebab-case singular (`stock-item`); URLs, operation ids, schema names and prose follow from it. */
  name: string;
  /** When the simple English plural of `name` is wrong (`person` → `people`). */
  plural?: string;
  table: Table;
  /** Per field, what its column cannot say: words, an example, a pattern, bounds. */
  fields?: { [Key in FieldKey<Table>]?: FieldOptions };
  list?: {
    /** Sortable fields besides `createdAt`; each needs an index on `(column, id)`. */
    sorts?: readonly FieldKey<Table>[];
    /** Fields `q` matches as a case-insensitive substring; each needs a trigram index on `folded(column)`. */
    search?: readonly FieldKey<Table>[];
    filters?: readonly DeclaredFilter<Table>[];
  };
}

export function defineResource<Table extends ResourceTable>(declaration: ResourceDeclaration<Table>) {
  const names: ResourceNames = namesOf(declaration.name, declaration.plural);
  const { table } = declaration;
  const list = { sorts: declaration.list?.sorts ?? [], search: declaration.list?.search ?? [], filters: declaration.list?.filters ?? [] };
  const { columns, fields } = resourceColumns(table);
  const fieldKeys = fields.map(([key]) => key);
  for (const key of list.sorts) checkSortable(key, columns[key] as PgColumn);
  const schemas = resourceSchemas({ names, table, fields: declaration.fields ?? {}, ...list });
  const statements = resourceStatements(table, names.snakePlural, list, storedRoleAtLeastPlaceholders);
  const repositoryDeclaration = {
    table,
    columns,
    answerBody: createdJson(columns),
    title: capitaliseFirst(names.words),
    statements,
    writeErrors: writeErrors(table, names.words),
    fieldKeys,
    filterNames: list.filters.map((filter) => filter.name),
    defaults: Object.fromEntries(fields.filter(([, column]) => column.hasDefault).map(([key, column]) => [key, defaultValue(key, column)])),
  };
  return {
    names,
    table,
    schemas,
    routes: resourceRoutes(names, schemas),
    repository: (db: Database) => new ResourceRepository(repositoryDeclaration, db),
  };
}

export type Resource<Table extends ResourceTable> = ReturnType<typeof defineResource<Table>>;

/**
 * Keyset cursors carry text, int4 or instant keys and compare `(column, id)` rows, which NULL would break:
 * a sort is refused when the resource is defined, not on its second page.
 */
function checkSortable(key: string, column: PgColumn): void {
  const sortable = ["PgVarchar", "PgChar", "PgText", "PgInteger", "PgTimestamp"].includes(column.columnType);
  if (!sortable || !column.notNull)
    throw new Error(`sort ${key}: only NOT NULL text, integer and timestamp columns can be sorted by (keyset cursors)`);
}
