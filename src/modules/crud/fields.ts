// A field's validation and documentation, derived from its column: the table says the type, the
// length, nullability, the default and uniqueness; `FieldOptions` adds only what a column cannot say.
import { z } from "@hono/zod-openapi";
import { is, SQL } from "drizzle-orm";
import type { PgColumn } from "drizzle-orm/pg-core";
import { NO_NUL_PATTERN, NOT_BLANK_NO_NUL_PATTERN } from "../../core/openapi";
import { queryInt } from "../../core/query-params";

/** What the API adds to a column. Everything is optional: a bare column gets sensible rules and words. */
export interface FieldOptions {
  description?: string;
  example?: string | number | boolean;
  /** Text: a pattern the whole value must match, instead of trimming and refusing blanks; `message` says why. */
  pattern?: { regex: RegExp; message: string };
  /** Numbers: bounds within the column's type. Text: `max` is the longest length (default 10,000). */
  min?: number;
  max?: number;
}

export const INT4_MIN = -2_147_483_648;
export const INT4_MAX = 2_147_483_647;
export const TEXT_MAX = 10_000;

const noNul = (value: string) => !value.includes("\u0000");
export const nulMessage = "must not contain NUL characters";
/** A string without NUL, as Postgres text needs. */
export const textWithoutNul = () => z.string().refine(noNul, nulMessage);

type Kind = "string" | "text" | "enum" | "int" | "bigint" | "bool" | "decimal" | "timestamp" | "uuid";

function kindOf(column: PgColumn): Kind {
  switch (column.columnType) {
    case "PgVarchar":
    case "PgChar":
      return "string";
    case "PgText":
      return column.enumValues ? "enum" : "text";
    case "PgInteger":
      return "int";
    case "PgBigInt53":
      return "bigint";
    case "PgBoolean":
      return "bool";
    case "PgNumeric":
      return "decimal";
    case "PgTimestamp":
      return "timestamp";
    case "PgUUID":
      return "uuid";
    default:
      throw new Error(`column ${column.name}: the CRUD kit has no API type for ${column.columnType}`);
  }
}

const lengthOf = (column: PgColumn) => (column as PgColumn & { length?: number }).length;
const decimalDigits = (column: PgColumn) => {
  const { precision = 14, scale = 2 } = column as PgColumn & { precision?: number; scale?: number };
  return { before: precision - scale, after: scale };
};

/** The schema of a value a client writes (neither null nor absent: `writeSchema` adds those). */
function valueSchema(column: PgColumn, options: FieldOptions): z.ZodType {
  const kind = kindOf(column);
  switch (kind) {
    case "string": {
      const max = lengthOf(column) ?? 255;
      if (options.pattern) return z.string().regex(options.pattern.regex, options.pattern.message);
      // Postgres pads a shorter value of a char(n) with spaces: the API takes exactly n characters.
      if (column.columnType === "PgChar") return z.string().length(max).refine(noNul, nulMessage).openapi({ pattern: NO_NUL_PATTERN });
      // The patterns state the refinements in the document, which is as strict as the validation.
      return z.string().trim().min(1).max(max).refine(noNul, nulMessage).openapi({ pattern: NOT_BLANK_NO_NUL_PATTERN });
    }
    case "text":
      if (options.pattern) return z.string().regex(options.pattern.regex, options.pattern.message);
      return z
        .string()
        .max(options.max ?? TEXT_MAX)
        .refine(noNul, nulMessage)
        .openapi({ pattern: NO_NUL_PATTERN });
    case "enum":
      return z.enum(column.enumValues as [string, ...string[]]);
    case "int":
      return z
        .number()
        .int()
        .min(options.min ?? INT4_MIN)
        .max(options.max ?? INT4_MAX);
    case "bigint":
      return z
        .number()
        .int()
        .min(options.min ?? Number.MIN_SAFE_INTEGER)
        .max(options.max ?? Number.MAX_SAFE_INTEGER);
    case "bool":
      return z.boolean();
    case "decimal": {
      const { before, after } = decimalDigits(column);
      return z
        .string()
        .regex(
          new RegExp(`^-?\\d{1,${before}}(\\.\\d{1,${after}})?$`),
          `must be a decimal string with at most ${before} digits before and ${after} after the point`,
        );
    }
    case "timestamp":
      // zod's own patterns: stricter than `format: date-time` (UTC only) and `format: uuid` (versions 1–8).
      return z.iso.datetime().openapi({ pattern: z.regexes.datetime({}).source });
    case "uuid":
      return z.uuid().openapi({ pattern: z.regexes.uuid().source });
  }
}

/** Words for a field nobody described, from its rules. */
function describe(column: PgColumn, options: FieldOptions): string {
  const kind = kindOf(column);
  const text: Record<Kind, string> = {
    string: options.pattern
      ? options.pattern.message
      : column.columnType === "PgChar"
        ? `exactly ${lengthOf(column)} characters`
        : `1..${lengthOf(column) ?? 255} characters after trimming`,
    text: `up to ${options.max ?? TEXT_MAX} characters`,
    enum: `one of ${(column.enumValues ?? []).map((value) => `\`${value}\``).join(", ")}`,
    int:
      options.min === undefined && options.max === undefined
        ? "a 32-bit integer"
        : `an integer, ${options.min ?? INT4_MIN}..${options.max ?? INT4_MAX}`,
    bigint: "an integer within ±2^53",
    bool: "true or false",
    decimal: `a decimal string, ${decimalDigits(column).after} places (e.g. \`12.50\`)`,
    timestamp: "an RFC 3339 UTC timestamp",
    uuid: "a UUID",
  };
  const words = text[kind];
  return `${words.charAt(0).toUpperCase()}${words.slice(1)}${column.isUnique ? ", unique" : ""}${column.notNull ? "" : ", or null"}.`;
}

/** The schema of the field in create, replace and patch bodies: nullable where the column is. */
export function writeSchema(column: PgColumn, options: FieldOptions): z.ZodType {
  const value = valueSchema(column, options);
  const schema = column.notNull ? value : value.nullable();
  return schema.openapi({
    description: options.description ?? describe(column, options),
    ...(options.example === undefined ? {} : { example: options.example }),
  });
}

/** The schema of the field in answers: its type, without the rules of writing it. */
export function readSchema(column: PgColumn): z.ZodType {
  const base: Record<Kind, () => z.ZodType> = {
    string: () => z.string(),
    text: () => z.string(),
    enum: () => z.enum(column.enumValues as [string, ...string[]]),
    int: () => z.number().int(),
    bigint: () => z.number().int(),
    bool: () => z.boolean(),
    decimal: () => z.string(),
    timestamp: () => z.iso.datetime(),
    uuid: () => z.uuid(),
  };
  const schema = base[kindOf(column)]();
  return column.notNull ? schema : schema.nullable();
}

/** A filter's query parameter: whole numbers and booleans parsed from the query string, other values as the field takes them. */
export function filterSchema(column: PgColumn, options: FieldOptions, description: string): z.ZodType {
  const kind = kindOf(column);
  if (kind === "bool")
    return z
      .enum(["true", "false"])
      .transform((value) => value === "true")
      .optional()
      .openapi({ param: { description }, type: "boolean" });
  if (kind === "int" || kind === "bigint") {
    const [min, max] =
      kind === "int"
        ? [options.min ?? INT4_MIN, options.max ?? INT4_MAX]
        : [options.min ?? Number.MIN_SAFE_INTEGER, options.max ?? Number.MAX_SAFE_INTEGER];
    return queryInt(min, max).optional().openapi({ param: { description }, type: "integer", minimum: min, maximum: max });
  }
  return valueSchema(column, options).optional().openapi({ param: { description } });
}

/** The value an omitted optional field takes on create and PUT: the column's literal default, else null. */
export function defaultValue(key: string, column: PgColumn): unknown {
  if (!column.hasDefault) return null;
  if (is(column.default, SQL) || column.default === undefined)
    throw new Error(`field ${key}: the CRUD kit needs a literal .default(), not SQL, to send it back on PUT`);
  return column.default instanceof Date ? column.default.toISOString() : column.default;
}
