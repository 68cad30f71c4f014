// The resolved resource every template reads: a spec with its names, column names, references and
// derived list settings worked out and checked (resolve.ts).
import type { ResourceNames } from "../../src/modules/crud/names";

export type FieldType = "string" | "char" | "text" | "int" | "bigint" | "bool" | "decimal" | "timestamp" | "uuid" | "enum" | "ref";

export type Literal = string | number | boolean;

export interface Reference {
  names: ResourceNames;
  /** Module (from test/contract/) exporting `<camel>Input`: `./target` for products, else the resource's contract. */
  inputModule: string;
}

export interface Filter {
  name: string;
  op: "eq" | "gte" | "lte";
  description: string | undefined;
}

/** What the API says of a field beyond its column (crud/fields.ts `FieldOptions`). */
export interface ApiOptions {
  description: string | undefined;
  example: Literal | undefined;
  pattern: { regex: string; message: string } | undefined;
  min: number | undefined;
  max: number | undefined;
}

export interface Field {
  /** camelCase JSON and property name (`warehouseId` for `warehouse:ref(warehouse)`). */
  name: string;
  /** snake_case column name. */
  column: string;
  type: FieldType;
  /** Characters of a `string` (varchar) or `char` column. */
  length: number | undefined;
  optional: boolean;
  unique: boolean;
  default: Literal | undefined;
  enumValues: string[];
  reference: Reference | undefined;
  api: ApiOptions;
  sort: boolean;
  search: boolean;
  filters: Filter[];
}

export interface ExtraIndex {
  name: string;
  fields: string[];
  why: string | undefined;
}

export interface ExtraCheck {
  name: string;
  sql: string;
  why: string | undefined;
}

export interface Resource {
  names: ResourceNames;
  /** The plural as declared, when the simple English one is not it. */
  plural: string | undefined;
  fields: Field[];
  extras: { indexes: ExtraIndex[]; checks: ExtraCheck[] };
}

/** `stock-item` or `stockItem` or `stock_item` → `stock-item`. */
export function toKebab(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/_/g, "-")
    .toLowerCase();
}

export const toSnake = (camel: string) => camel.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

export const toCamel = (name: string) => toKebab(name).replace(/-([a-z0-9])/g, (_, char: string) => char.toUpperCase());
