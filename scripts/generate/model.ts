// The resource model every template reads: names in each casing and the parsed fields.

export type FieldType = "string" | "text" | "int" | "bigint" | "bool" | "decimal" | "timestamp" | "uuid" | "enum" | "ref";

export interface Names {
  /** As typed: kebab-case singular, e.g. `stock-item`. */
  kebab: string;
  kebabPlural: string;
  camel: string;
  camelPlural: string;
  pascal: string;
  pascalPlural: string;
  snakePlural: string;
  /** Words for prose: `stock item`, `stock items`. */
  words: string;
  wordsPlural: string;
}

export interface Reference {
  /** The referenced resource's names; `productInput`-style factory lives in `inputModule`. */
  names: Names;
  /** Module path (from test/contract/) exporting `<camel>Input(tag, overrides)`. */
  inputModule: string;
}

export interface Field {
  /** camelCase JSON and property name (`warehouseId` for `warehouse:ref(warehouse)`). */
  name: string;
  /** snake_case column name. */
  column: string;
  type: FieldType;
  optional: boolean;
  unique: boolean;
  enumValues: string[];
  reference: Reference | undefined;
}

export interface Resource {
  names: Names;
  fields: Field[];
}

const words = (name: string) => name.split("-");
const capitalise = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

/** Simple English plural of the last word: box → boxes, category → categories, item → items. */
export function pluralise(word: string): string {
  if (/[^aeiou]y$/.test(word)) return `${word.slice(0, -1)}ies`;
  if (/(s|x|z|ch|sh)$/.test(word)) return `${word}es`;
  return `${word}s`;
}

export function namesOf(kebab: string, kebabPlural?: string): Names {
  const parts = words(kebab);
  const last = parts.at(-1) ?? kebab;
  const plural = kebabPlural ?? [...parts.slice(0, -1), pluralise(last)].join("-");
  const camel = (name: string) =>
    words(name)
      .map((part, index) => (index === 0 ? part : capitalise(part)))
      .join("");
  return {
    kebab,
    kebabPlural: plural,
    camel: camel(kebab),
    camelPlural: camel(plural),
    pascal: capitalise(camel(kebab)),
    pascalPlural: capitalise(camel(plural)),
    snakePlural: words(plural).join("_"),
    words: words(kebab).join(" "),
    wordsPlural: words(plural).join(" "),
  };
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
