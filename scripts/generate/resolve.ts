// A spec made into the model the templates read, checked first: anything the kit or Postgres would
// refuse later is a Refusal now, before a file is written.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { flagBits, isOverlongStatementName } from "../../src/db/prepared";
import { namesOf, type ResourceNames } from "../../src/modules/crud/names";
import { type Field, type FieldType, type Filter, type Literal, type Reference, type Resource, toCamel, toKebab, toSnake } from "./model";
import { Refusal } from "./refusal";
import { RESERVED_FIELD, RESERVED_RESOURCE } from "./reserved";
import type { FieldSpec, ResourceSpec } from "./spec";

const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const CAMEL = /^[a-z][a-zA-Z0-9]*$/;
const TYPE = /^(?:(string|char)(?:\((\d+)\))?|(text|int|bigint|bool|decimal|timestamp|uuid)|enum\(([^)]*)\)|ref\(([^)]*)\))$/;
export const TYPE_NAMES = "string(n), char(n), text, int, bigint, bool, decimal, timestamp, uuid, enum(a|b|c), ref(<resource>)";
export const STRING_LENGTH = 200;
const INT4 = { min: -2_147_483_648, max: 2_147_483_647 };

export function checkResourceName(kebab: string, what: string): void {
  if (!KEBAB.test(kebab))
    throw new Refusal(`${what} "${kebab}" is not a name: use letters and digits, words separated by "-" (e.g. stock-item).`);
  if (RESERVED_RESOURCE.has(kebab) || RESERVED_RESOURCE.has(toSnake(toCamel(kebab))))
    throw new Refusal(`${what} "${kebab}" is reserved (a route, module, JavaScript or SQL word of this service); choose another name.`);
}

/** The names of a spec's resource, refused where they are not names or are taken by the service. */
export function resourceNames(spec: { name: string; plural?: string | undefined }): ResourceNames {
  const kebab = toKebab(spec.name);
  checkResourceName(kebab, "resource name");
  if (spec.plural !== undefined) checkResourceName(toKebab(spec.plural), "plural");
  const names = namesOf(kebab, spec.plural === undefined ? undefined : toKebab(spec.plural));
  if (names.kebabPlural === names.kebab) throw new Refusal(`plural of "${kebab}" equals the singular; pass --plural <name>.`);
  checkResourceName(names.kebabPlural, "plural");
  return names;
}

/** The resource a `ref(<name>)` points at: products, or one made by this generator (its contract exports `<name>Input`). */
function findReference(root: string, raw: string, self: ResourceNames): Reference {
  const kebab = toKebab(raw.trim());
  if (!KEBAB.test(kebab)) throw new Refusal(`ref(${raw}): "${raw}" is not a resource name.`);
  if (kebab === self.kebab || kebab === self.kebabPlural)
    throw new Refusal(`ref(${raw}): a resource cannot refer to itself (not supported yet).`);
  const direct = namesOf(kebab);
  if ((direct.kebabPlural === "products" || kebab === "products") && existsSync(path.join(root, "src/modules/products/products.table.ts")))
    return { names: namesOf("product"), inputModule: "./target" };
  // A generated resource: its contract exports `<singular>Input`; the file name gives its plural.
  const contracts = path.join(root, "test/contract");
  for (const file of readdirSync(contracts)) {
    const plural = /^(.+)\.contract\.ts$/.exec(file)?.[1];
    if (!plural) continue;
    const exported = /^export async function (\w+)Input\(/m.exec(readFileSync(path.join(contracts, file), "utf8"))?.[1];
    if (!exported || (exported !== direct.camel && plural !== kebab)) continue;
    const names = namesOf(toKebab(exported), plural);
    if (existsSync(path.join(root, "src/modules", plural, `${plural}.table.ts`))) return { names, inputModule: `./${plural}.contract` };
  }
  throw new Refusal(`ref(${raw}): no resource "${kebab}" made by this generator (or products) exists; generate it first.`);
}

const literalFits = (type: FieldType, value: Literal, enumValues: string[]) =>
  ({
    string: typeof value === "string",
    char: typeof value === "string",
    text: typeof value === "string",
    decimal: typeof value === "string" && /^-?\d{1,12}(\.\d{1,2})?$/.test(value),
    enum: typeof value === "string" && enumValues.includes(value),
    int: Number.isInteger(value),
    bigint: Number.isSafeInteger(value),
    bool: typeof value === "boolean",
    timestamp: false,
    uuid: false,
    ref: false,
  })[type];

// Keyset cursors carry text and int4 keys (db/keyset.ts), and NULLs have no place in a keyset order.
const SORTABLE = new Set<FieldType>(["string", "char", "text", "int", "decimal", "timestamp", "uuid", "enum", "ref"]);
const SEARCHABLE = new Set<FieldType>(["string", "char", "text"]);
// A query string has no JSON numbers: int filters are parsed (crud/fields.ts), bigint ones would never match.
const RANGED = new Set<FieldType>(["int", "decimal", "timestamp"]);
const PATTERNED = SEARCHABLE;

function resolveField(root: string, spec: FieldSpec, self: ResourceNames): Field {
  const where = `field "${spec.name}"`;
  const match = TYPE.exec(spec.type.replace(/\s+/g, ""));
  if (!match) throw new Refusal(`${where}: unknown type "${spec.type}"; types are ${TYPE_NAMES}.`);
  const [, sized, length, simple, enumList, refName] = match;
  const type = (sized ?? simple ?? (enumList !== undefined ? "enum" : "ref")) as FieldType;
  if (type === "char" && length === undefined) throw new Refusal(`${where}: char needs its length, e.g. char(3).`);
  const size = sized === undefined ? undefined : Number(length ?? STRING_LENGTH);
  if (size !== undefined && (size < 1 || size > 10_485_760))
    throw new Refusal(`${where}: ${type}(${size}) is not a length Postgres takes.`);
  let name = toCamel(spec.name);
  if (type === "ref" && !name.endsWith("Id")) name = `${name}Id`;
  if (!CAMEL.test(name)) throw new Refusal(`${where} is not a name: letters and digits, starting with a lower-case letter.`);
  if (RESERVED_FIELD.has(name) || RESERVED_FIELD.has(spec.name))
    throw new Refusal(`${where} is reserved (server-owned, a list parameter or a JavaScript word).`);
  const enumValues = enumList === undefined ? [] : enumList.split("|").map((value) => value.trim());
  if (
    type === "enum" &&
    (enumValues.length < 2 ||
      enumValues.some((value) => !/^[a-z][a-z0-9_-]*$/.test(value)) ||
      new Set(enumValues).size !== enumValues.length)
  )
    throw new Refusal(`${where}: enum needs two or more distinct lower-case values, e.g. enum(raw|finished).`);
  if (spec.unique && (type === "bool" || type === "enum")) throw new Refusal(`${where}: a ${type} cannot be unique.`);
  if (spec.default !== undefined && !literalFits(type, spec.default, enumValues))
    throw new Refusal(
      `${where}: default ${JSON.stringify(spec.default)} is not a literal ${type} value (timestamp, uuid and ref take none).`,
    );
  if (spec.pattern) {
    if (!PATTERNED.has(type)) throw new Refusal(`${where}: only string, char and text fields take a pattern.`);
    try {
      new RegExp(spec.pattern.regex);
    } catch {
      throw new Refusal(`${where}: pattern ${spec.pattern.regex} is not a regular expression.`);
    }
  }
  const numeric = type === "int" || type === "bigint";
  if ((spec.min !== undefined && !numeric) || (spec.max !== undefined && !numeric && type !== "text"))
    throw new Refusal(`${where}: min and max bound int and bigint fields (and max the length of a text).`);
  if (type === "int" && [spec.min, spec.max].some((bound) => bound !== undefined && (bound < INT4.min || bound > INT4.max)))
    throw new Refusal(`${where}: bounds of an int must be 32-bit integers.`);
  if (spec.min !== undefined && spec.max !== undefined && spec.min > spec.max) throw new Refusal(`${where}: min is above max.`);
  if (spec.sort && (!SORTABLE.has(type) || spec.optional))
    throw new Refusal(`${where}: only required string, char, text, int, decimal, timestamp, uuid, enum and ref fields can be sorted by.`);
  if (spec.search && !SEARCHABLE.has(type)) throw new Refusal(`${where}: only string, char and text fields can be searched.`);
  const filters: Filter[] = spec.filters.map((filter) => ({ name: filter.name ?? name, op: filter.op, description: filter.description }));
  for (const filter of filters) {
    if (type === "bigint") throw new Refusal(`${where}: a bigint field cannot be filtered on (a query string has no JSON numbers).`);
    if (filter.op !== "eq" && !RANGED.has(type))
      throw new Refusal(`${where}: only int, decimal and timestamp fields take gte/lte filters.`);
  }
  return {
    name,
    column: toSnake(name),
    type,
    length: size,
    optional: spec.optional,
    unique: spec.unique,
    default: spec.default,
    enumValues,
    reference: type === "ref" ? findReference(root, refName ?? "", self) : undefined,
    api: { description: spec.description, example: spec.example, pattern: spec.pattern, min: spec.min, max: spec.max },
    sort: spec.sort,
    search: spec.search,
    filters,
  };
}

/** Every one of `count` flags set, as `flagBits` writes it in a statement's name. */
const allFlags = (count: number) => flagBits(Array.from({ length: count }, () => true));

/** The longest name one of the resource's statements can take (db/resource-statements.ts), when Postgres would cut it. */
export function overlongStatementName(resource: Resource): string | undefined {
  const prefix = resource.names.snakePlural;
  const sorts = ["createdAt", ...resource.fields.filter((field) => field.sort).map((field) => field.name)];
  const longestSort = sorts.reduce((longest, sort) => (sort.length > longest.length ? sort : longest));
  const filters = resource.fields.flatMap((field) => field.filters).length;
  const longest = [
    `${prefix}_select_by_id`,
    `${prefix}_insert`,
    `${prefix}_update_${allFlags(resource.fields.length)}_v`,
    `${prefix}_list_d_${longestSort}_${allFlags(1 + filters + 1)}`,
    `${prefix}_delete_any_r`,
  ].reduce((longest, name) => (name.length > longest.length ? name : longest));
  return isOverlongStatementName(longest) ? longest : undefined;
}

/** The model of a spec; `root` is the repository whose resources a `ref` may name. */
export function resolveResource(root: string, spec: ResourceSpec): Resource {
  const names = resourceNames(spec);
  if (spec.fields.length === 0) throw new Refusal("give at least one field, e.g. name:string:unique.");
  const fields = spec.fields.map((field) => resolveField(root, field, names));
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name) || seen.has(field.column)) throw new Refusal(`field "${field.name}" is given twice.`);
    seen.add(field.name);
    seen.add(field.column);
  }
  const parameters = new Set(["limit", "cursor", "sort", "q"]);
  for (const filter of fields.flatMap((field) => field.filters)) {
    if (parameters.has(filter.name)) throw new Refusal(`filter "${filter.name}" is taken (a list parameter or another filter).`);
    parameters.add(filter.name);
  }
  const extras = { indexes: spec.extras?.indexes ?? [], checks: spec.extras?.checks ?? [] };
  const fieldNames = new Set(fields.map((field) => field.name));
  for (const index of extras.indexes) {
    const unknown = index.fields.find((name) => !fieldNames.has(name));
    if (unknown !== undefined) throw new Refusal(`extra index ${index.name}: no field "${unknown}".`);
  }
  for (const check of extras.checks) {
    const unknown = [...check.sql.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? "").find((name) => !fieldNames.has(name));
    if (unknown !== undefined) throw new Refusal(`extra check ${check.name}: no field "${unknown}".`);
  }
  const resource: Resource = {
    names,
    plural: spec.plural === undefined || spec.plural === namesOf(names.kebab).kebabPlural ? undefined : names.kebabPlural,
    fields,
    extras: {
      indexes: extras.indexes.map((index) => ({ name: index.name, fields: index.fields, why: index.why })),
      checks: extras.checks.map((check) => ({ name: check.name, sql: check.sql, why: check.why })),
    },
  };
  const overlong = overlongStatementName(resource);
  if (overlong !== undefined)
    throw new Refusal(`"${names.snakePlural}" makes statement names over 63 bytes (${overlong}); choose a shorter name or --plural.`);
  return resource;
}
