// A resource's request and response shapes, derived from its table and the API details of its fields.
import { z } from "@hono/zod-openapi";
import type { PgColumn } from "drizzle-orm/pg-core";
import { NO_NUL_PATTERN, uuidParam } from "../../core/openapi";
import { pageCursorParam, pageLimitParam, sortParam } from "../../core/query-params";
import type { ListFilter } from "../../db/resource-statements";
import {
  type FieldKey,
  type ResourceInput,
  type ResourceOf,
  type ResourcePatch,
  type ResourceTable,
  resourceColumns,
} from "../../db/resource-table";
import { type FieldOptions, filterSchema, readSchema, textWithoutNul, writeSchema } from "./fields";
import { capitaliseFirst, type ResourceNames } from "./names";

/** A list filter with the words of its query parameter. */
export interface DeclaredFilter<Table extends ResourceTable> extends ListFilter<Table> {
  description?: string;
}

export interface SchemaDeclaration<Table extends ResourceTable> {
  names: ResourceNames;
  table: Table;
  fields: { [Key in FieldKey<Table>]?: FieldOptions };
  sorts: readonly FieldKey<Table>[];
  search: readonly FieldKey<Table>[];
  filters: readonly DeclaredFilter<Table>[];
}

/** What a list takes once validated. */
export interface ListQuery {
  limit?: number;
  cursor?: string;
  sort?: string;
  q?: string;
  [filter: string]: string | number | boolean | undefined;
}

/** A bound of a range filter as a number: whole numbers as they are, decimals and instants parsed. */
function comparable(value: unknown): number | undefined {
  if (typeof value === "number") return value;
  if (typeof value !== "string") return undefined;
  const parsed = /^-?\d/.test(value) && !value.includes("T") ? Number(value) : Date.parse(value);
  return Number.isNaN(parsed) ? undefined : parsed;
}

const EXAMPLE_ID = "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f";
const EXAMPLE_INSTANT = "2026-11-23T19:50:41.123Z";

const optionsOf = <Table extends ResourceTable>(declaration: SchemaDeclaration<Table>, key: FieldKey<Table>): FieldOptions =>
  declaration.fields[key] ?? {};

export function resourceSchemas<Table extends ResourceTable>(declaration: SchemaDeclaration<Table>) {
  const { names, table } = declaration;
  const { columns, fields } = resourceColumns(table);
  const written = Object.fromEntries(fields.map(([key, column]) => [key, writeSchema(column, optionsOf(declaration, key))]));
  // A field is optional on create where the column is nullable or has a default; PUT sends it back to that.
  const optionalOnCreate = (column: PgColumn) => !column.notNull || column.hasDefault;

  const Output = z
    .object({
      id: z.uuid().openapi({ example: EXAMPLE_ID }),
      ...Object.fromEntries(fields.map(([key, column]) => [key, readSchema(column)])),
      version: z.number().int().min(1).openapi({ description: "Grows by one on every change." }),
      createdAt: z.iso.datetime().openapi({ example: EXAMPLE_INSTANT }),
      updatedAt: z.iso.datetime().openapi({ example: EXAMPLE_INSTANT }),
    })
    .openapi(names.pascal) as unknown as z.ZodType<ResourceOf<Table>>;

  const Create = z
    .strictObject(
      Object.fromEntries(
        fields.map(([key, column]) => [key, optionalOnCreate(column) ? (written[key] as z.ZodType).optional() : written[key]]),
      ) as Record<string, z.ZodType>,
    )
    .openapi(`Create${names.pascal}`, { description: "Server-owned and unknown fields are refused (422)." });

  const Patch = z
    .strictObject(Object.fromEntries(fields.map(([key]) => [key, (written[key] as z.ZodType).optional()])) as Record<string, z.ZodType>)
    .openapi(`${names.pascal}MergePatch`, {
      description: "A JSON merge patch (RFC 7396): present fields are set, null clears a nullable field.",
    });

  const sorts = ["createdAt", ...declaration.sorts];
  const sortValues = sorts.flatMap((key) => [key, `-${key}`]) as [string, ...string[]];
  const filterShape = Object.fromEntries(
    declaration.filters.map((filter) => [
      filter.name,
      filterSchema(
        columns[filter.field] as PgColumn,
        optionsOf(declaration, filter.field),
        filter.description ?? `Only ${names.wordsPlural} with this ${filter.field}.`,
      ),
    ]),
  );
  const ranges = declaration.filters.flatMap((low) =>
    low.op === "gte"
      ? declaration.filters.filter((high) => high.op === "lte" && high.field === low.field).map((high) => [low.name, high.name] as const)
      : [],
  );
  const ListQuery = z
    .object({
      limit: pageLimitParam,
      cursor: pageCursorParam,
      sort: sortParam(sortValues),
      ...(declaration.search.length > 0
        ? {
            q: textWithoutNul()
              .min(1)
              .max(200)
              .optional()
              .openapi({
                param: { description: `Case-insensitive substring of ${declaration.search.join(" or ")}.` },
                pattern: NO_NUL_PATTERN,
              }),
          }
        : {}),
      ...filterShape,
    })
    .superRefine((query: Record<string, unknown>, context) => {
      for (const [low, high] of ranges) {
        const [from, to] = [comparable(query[low]), comparable(query[high])];
        if (from !== undefined && to !== undefined && from > to)
          context.addIssue({ code: "custom", message: `${low} must not be greater than ${high}`, path: [low] });
      }
    });

  const Page = z
    .object({
      data: z.array(Output),
      nextCursor: z.string().nullable().openapi({ description: "Pass as `cursor` for the next page; null on the last page." }),
    })
    .openapi(`${names.pascal}Page`);

  return {
    Output,
    Create: Create as unknown as z.ZodType<ResourceInput<Table>>,
    /** PUT body: a full replacement; omitted optional fields go back to their defaults (null where none). */
    Replace: Create.openapi(`Replace${names.pascal}`) as unknown as z.ZodType<ResourceInput<Table>>,
    Patch: Patch as unknown as z.ZodType<ResourcePatch<Table>>,
    ListQuery: ListQuery as unknown as z.ZodObject<{ [K in keyof ListQuery]: z.ZodType<ListQuery[K]> }>,
    Page,
    IdParams: z.object({ id: uuidParam(`${capitaliseFirst(names.words)} id (UUID).`) }),
  };
}

export type ResourceSchemas<Table extends ResourceTable> = ReturnType<typeof resourceSchemas<Table>>;
