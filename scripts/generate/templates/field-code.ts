// Per-field-type snippets shared by the templates: column builder, zod schemas, sample values.
import type { Field, Resource } from "../model";

export const STRING_MAX = 200;
export const TEXT_MAX = 10_000;

/** The drizzle-orm/pg-core builders a table needs. */
export function columnImports(resource: Resource): string[] {
  const builders = new Set(["index", "integer", "pgTable", "timestamp", "uuid"]);
  for (const field of resource.fields) {
    const builder = {
      string: "varchar",
      text: "text",
      int: "integer",
      bigint: "bigint",
      bool: "boolean",
      decimal: "numeric",
      timestamp: "timestamp",
      uuid: "uuid",
      enum: "text",
      ref: "uuid",
    }[field.type];
    builders.add(builder);
    if (field.type === "enum") builders.add("check");
  }
  return [...builders, "check"].filter((value, index, all) => all.indexOf(value) === index).sort();
}

export function column(field: Field, table: string): string {
  const name = JSON.stringify(field.column);
  let code: string;
  switch (field.type) {
    case "string":
      code = `varchar(${name}, { length: ${STRING_MAX} })`;
      break;
    case "text":
      code = `text(${name})`;
      break;
    case "int":
      code = `integer(${name})`;
      break;
    case "bigint":
      code = `bigint(${name}, { mode: "number" })`;
      break;
    case "bool":
      code = `boolean(${name})`;
      break;
    case "decimal":
      code = `numeric(${name}, { precision: 14, scale: 2 })`;
      break;
    case "timestamp":
      code = `timestamp(${name}, { withTimezone: true, precision: 3 })`;
      break;
    case "uuid":
      code = `uuid(${name})`;
      break;
    case "enum":
      code = `text(${name}, { enum: ${JSON.stringify(field.enumValues)} })`;
      break;
    case "ref":
      code = `uuid(${name})`;
      break;
  }
  if (!field.optional) code += ".notNull()";
  if (field.unique) code += `.unique(${JSON.stringify(`${table}_${field.column}_unique`)})`;
  if (field.type === "ref" && field.reference) {
    code += `.references(() => ${field.reference.names.camelPlural}.id, { onDelete: "restrict" })`;
  }
  return code;
}

/** The zod schema of the field's writable value (without optional/nullable). */
export function inputSchema(field: Field): string {
  switch (field.type) {
    case "string":
      // The patterns state the refinements in the document, which is as strict as the validation.
      return `z.string().trim().min(1).max(${STRING_MAX}).refine(noNul, nulMessage).openapi({ pattern: NOT_BLANK_NO_NUL_PATTERN })`;
    case "text":
      return `z.string().max(${TEXT_MAX}).refine(noNul, nulMessage).openapi({ pattern: NO_NUL_PATTERN })`;
    case "int":
      return "z.number().int().min(-2_147_483_648).max(2_147_483_647)";
    case "bigint":
      return "z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER)";
    case "bool":
      return "z.boolean()";
    case "decimal":
      return `z.string().regex(/^-?\\d{1,12}(\\.\\d{1,2})?$/, "must be a decimal string with at most 12 digits before and 2 after the point")`;
    case "timestamp":
      // zod's own patterns: stricter than `format: date-time` (UTC only) and `format: uuid` (versions 1–8).
      return "z.iso.datetime().openapi({ pattern: z.regexes.datetime({}).source })";
    case "uuid":
    case "ref":
      return "z.uuid().openapi({ pattern: z.regexes.uuid().source })";
    case "enum":
      return `z.enum(${JSON.stringify(field.enumValues)})`;
  }
}

/** The zod schema of the field in responses. */
export function outputSchema(field: Field): string {
  const base = {
    string: "z.string()",
    text: "z.string()",
    int: "z.number().int()",
    bigint: "z.number().int()",
    bool: "z.boolean()",
    decimal: "z.string()",
    timestamp: "z.iso.datetime()",
    uuid: "z.uuid()",
    ref: "z.uuid()",
    enum: `z.enum(${JSON.stringify(field.enumValues)})`,
  }[field.type];
  return field.optional ? `${base}.nullable()` : base;
}

export function describe(field: Field): string {
  const text = {
    string: `1..${STRING_MAX} characters after trimming`,
    text: `up to ${TEXT_MAX} characters`,
    int: "a 32-bit integer",
    bigint: "an integer within ±2^53",
    bool: "true or false",
    decimal: "a decimal string, 2 places (e.g. `12.50`)",
    timestamp: "an RFC 3339 UTC timestamp",
    uuid: "a UUID",
    ref: `id of a ${field.reference?.names.words ?? "resource"}`,
    enum: `one of ${field.enumValues.map((value) => `\`${value}\``).join(", ")}`,
  }[field.type];
  return `${capitaliseFirst(text)}${field.unique ? ", unique" : ""}${field.optional ? ", or null" : ""}.`;
}

const capitaliseFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** API input value → row value (`input.x` is defined here). */
export function toRow(field: Field, value: string): string {
  if (field.type === "timestamp") return field.optional ? `${value} === null ? null : new Date(${value})` : `new Date(${value})`;
  return value;
}

/** A valid JSON sample for the contract tests, as TypeScript source; `tag` makes unique values unique. */
export function sampleValue(field: Field): string {
  switch (field.type) {
    case "string":
      return field.unique ? `\`${field.name}-\${tag}\`` : `\`${capitaliseFirst(field.name)} \${tag}\``;
    case "text":
      return `\`${field.name} of \${tag}\``;
    case "int":
      return field.unique ? "randomInt(2_000_000_000)" : "7";
    case "bigint":
      return field.unique ? "randomInt(9_000_000_000_000)" : "9_000_000_000_000";
    case "bool":
      return "true";
    case "decimal":
      return field.unique ? "`${randomInt(1_000_000)}.25`" : '"12.50"';
    case "timestamp":
      return field.unique ? "new Date(Date.UTC(2026, 0, 1) + randomInt(100_000_000_000)).toISOString()" : '"2026-01-02T03:04:05.678Z"';
    case "uuid":
      return field.unique ? "crypto.randomUUID()" : '"01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f"';
    case "enum":
      return JSON.stringify(field.enumValues[0]);
    case "ref":
      return '""';
  }
}

/** Another valid value (for PUT/PATCH), differing from `sampleValue`. */
export function otherValue(field: Field): string {
  switch (field.type) {
    case "string":
      return field.unique ? `\`${field.name}-b-\${tag}\`` : `\`Other \${tag}\``;
    case "text":
      return `\`changed \${tag}\``;
    case "int":
      return field.unique ? "-randomInt(2_000_000_000) - 1" : "-42";
    case "bigint":
      return field.unique ? "-randomInt(9_000_000_000_000) - 1" : "-9_000_000_000_001";
    case "bool":
      return "false";
    case "decimal":
      return field.unique ? "`-${randomInt(1_000_000)}.75`" : '"-3.75"';
    case "timestamp":
      return field.unique ? "new Date(Date.UTC(2027, 0, 1) + randomInt(100_000_000_000)).toISOString()" : '"2027-06-07T08:09:10.111Z"';
    case "uuid":
      return "crypto.randomUUID()";
    case "enum":
      return JSON.stringify(field.enumValues[1] ?? field.enumValues[0]);
    case "ref":
      return '""';
  }
}

/** A value of the wrong type or out of range, and why, for the validation table. */
export function invalidValues(field: Field): [string, string][] {
  const values: Record<Field["type"], [string, string][]> = {
    string: [
      ["blank", '"   "'],
      [`over ${STRING_MAX}`, `"x".repeat(${STRING_MAX + 1})`],
      ["NUL byte", '"a\\u0000b"'],
      ["number", "5"],
    ],
    text: [
      [`over ${TEXT_MAX}`, `"x".repeat(${TEXT_MAX + 1})`],
      ["number", "5"],
    ],
    int: [
      ["fraction", "1.5"],
      ["over int32", "2_147_483_648"],
      ["string", '"7"'],
    ],
    bigint: [
      ["fraction", "1.5"],
      ["unsafe integer", "2 ** 53"],
      ["string", '"7"'],
    ],
    bool: [["string", '"true"']],
    decimal: [
      ["number", "12.5"],
      ["three places", '"1.234"'],
      ["not a number", '"abc"'],
    ],
    timestamp: [
      ["not a date", '"yesterday"'],
      ["number", "1700000000000"],
    ],
    uuid: [["not a uuid", '"nope"']],
    ref: [["not a uuid", '"nope"']],
    enum: [["unknown value", '"not-a-kind"']],
  };
  const list = values[field.type];
  return field.optional ? list : [...list, ["null", "null"]];
}
