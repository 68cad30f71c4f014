// The resource spec: everything a generated resource's three files say, as data. `generate resource
// --spec <file.json>` reads it from a file; the CLI's field arguments build the same thing (cli-fields.ts).
import { readFileSync } from "node:fs";
import { z } from "zod";
import { Refusal } from "./refusal";

const literal = z.union([z.string(), z.number(), z.boolean()]);

const filterSpec = z.strictObject({
  /** The query parameter; the field's name when omitted. */
  name: z.string().optional(),
  /** `eq` compares for equality; a `gte` and an `lte` filter on one field make a range (checked low ≤ high). */
  op: z.enum(["eq", "gte", "lte"]).default("eq"),
  description: z.string().optional(),
});

const fieldSpec = z.strictObject({
  /** camelCase; a `ref` field is named `<name>Id`. */
  name: z.string(),
  /** `string(n)` (varchar, n defaults to 200), `char(n)`, `text`, `int`, `bigint`, `bool`, `decimal`, `timestamp`, `uuid`, `enum(a|b)`, `ref(resource)`. */
  type: z.string(),
  /** Nullable: omitted on create and PUT it is null, and `null` in a PATCH clears it. */
  optional: z.boolean().default(false),
  unique: z.boolean().default(false),
  /** A literal default the column takes when the field is omitted on create and PUT. */
  default: literal.optional(),
  description: z.string().optional(),
  example: literal.optional(),
  /** A pattern the whole text must match instead of being trimmed; `message` is the error's words. */
  pattern: z.strictObject({ regex: z.string(), message: z.string() }).optional(),
  /** Numbers: bounds (a database check too). Text: `max` is the longest length. */
  min: z.number().int().optional(),
  max: z.number().int().optional(),
  /** `sort=<name>` and `sort=-<name>` list in this field's order (an index on `(column, id)`). */
  sort: z.boolean().default(false),
  /** `q` matches this field as a case-insensitive substring (a trigram index). */
  search: z.boolean().default(false),
  filters: z.array(filterSpec).default([]),
});

const extraIndex = z.strictObject({
  name: z.string(),
  /** Field names, in the index's order. */
  fields: z.array(z.string()).min(1),
  /** Why the table needs it: written above it as a comment. */
  why: z.string().optional(),
});

const extraCheck = z.strictObject({
  name: z.string(),
  /** SQL with `{field}` where a field's column goes, e.g. `{minStock} <= {maxStock}`. */
  sql: z.string(),
  why: z.string().optional(),
});

export const resourceSpecSchema = z.strictObject({
  /** Kebab-case singular, e.g. `stock-item`. */
  name: z.string(),
  /** When the simple English plural of `name` is wrong (`person` → `people`). */
  plural: z.string().optional(),
  fields: z.array(fieldSpec),
  /** What the table has beyond what its fields imply. */
  extras: z.strictObject({ indexes: z.array(extraIndex).default([]), checks: z.array(extraCheck).default([]) }).optional(),
});

/** A spec as written (JSON); defaults not filled in. */
export type ResourceSpecInput = z.input<typeof resourceSpecSchema>;
export type ResourceSpec = z.output<typeof resourceSpecSchema>;
export type FieldSpec = ResourceSpec["fields"][number];
export type FilterSpec = FieldSpec["filters"][number];

/** A spec from JSON text, its defaults filled in; `source` names it in a refusal. */
export function parseSpec(json: string, source: string): ResourceSpec {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (error) {
    throw new Refusal(`${source} is not JSON (${(error as Error).message}).`);
  }
  const parsed = resourceSpecSchema.safeParse(data);
  if (!parsed.success)
    throw new Refusal(
      `${source} is not a resource spec: ${parsed.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`).join("; ")}.`,
    );
  return parsed.data;
}

export function readSpec(file: string): ResourceSpec {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch {
    throw new Refusal(`cannot read the spec ${file}.`);
  }
  return parseSpec(text, file);
}
