// `generate resource <name> <field>:<type>[?][:unique] ...`: plans every file first, refuses before writing anything.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Field, type FieldType, type Names, namesOf, type Reference, type Resource, toCamel, toKebab, toSnake } from "./model";
import { contractTemplate } from "./templates/contract";
import { handlersTemplate, indexTemplate } from "./templates/handlers";
import { overlongStatementName, repositoryTemplate } from "./templates/repository";
import { routesTemplate } from "./templates/routes";
import { schemasTemplate } from "./templates/schemas";
import { tableTemplate } from "./templates/table";

export class Refusal extends Error {
  override name = "Refusal";
}

/** One file the generator writes (new) or rewrites (an existing file with a registration added). */
export interface FileChange {
  path: string;
  content: string;
  existed: boolean;
}

const JS_RESERVED = [
  "break",
  "case",
  "catch",
  "class",
  "const",
  "continue",
  "debugger",
  "default",
  "delete",
  "do",
  "else",
  "enum",
  "export",
  "extends",
  "false",
  "finally",
  "for",
  "function",
  "if",
  "import",
  "in",
  "instanceof",
  "new",
  "null",
  "return",
  "super",
  "switch",
  "this",
  "throw",
  "true",
  "try",
  "typeof",
  "var",
  "void",
  "while",
  "with",
  "yield",
  "let",
  "static",
  "implements",
  "interface",
  "package",
  "private",
  "protected",
  "public",
  "await",
  "async",
  "arguments",
  "eval",
  "undefined",
  "constructor",
  "prototype",
];
const SQL_RESERVED = [
  "all",
  "analyse",
  "analyze",
  "and",
  "any",
  "array",
  "as",
  "asc",
  "asymmetric",
  "both",
  "cast",
  "check",
  "collate",
  "column",
  "constraint",
  "create",
  "current_date",
  "current_role",
  "current_time",
  "current_timestamp",
  "current_user",
  "deferrable",
  "desc",
  "distinct",
  "end",
  "except",
  "fetch",
  "foreign",
  "from",
  "grant",
  "group",
  "having",
  "initially",
  "intersect",
  "into",
  "lateral",
  "leading",
  "limit",
  "localtime",
  "localtimestamp",
  "not",
  "offset",
  "on",
  "only",
  "or",
  "order",
  "placing",
  "primary",
  "references",
  "select",
  "session_user",
  "some",
  "symmetric",
  "table",
  "then",
  "to",
  "trailing",
  "union",
  "unique",
  "user",
  "using",
  "variadic",
  "when",
  "where",
  "window",
];
/** Paths and modules the service already owns. */
const SERVICE_RESERVED = [
  "users",
  "auth",
  "health",
  "ready",
  "docs",
  "redoc",
  "metrics",
  "idempotency",
  "idempotency-keys",
  "openapi",
  "openapi-json",
  "api",
  "vendor",
  "public",
  "core",
  "db",
  "modules",
  "schema",
  "app",
  "config",
  "client",
  "server",
  "worker",
  "target",
];
const RESERVED_RESOURCE = new Set([...JS_RESERVED, ...SQL_RESERVED, ...SERVICE_RESERVED]);
const RESERVED_FIELD = new Set([...JS_RESERVED, "id", "version", "createdAt", "updatedAt", "q", "limit", "cursor", "sort", "input", "row"]);

const SIMPLE_TYPES = ["string", "text", "int", "bigint", "bool", "decimal", "timestamp", "uuid"] as const;
const FIELD_SPEC =
  /^([a-zA-Z][a-zA-Z0-9_-]*):(string|text|int|bigint|bool|decimal|timestamp|uuid|enum\(([^)]*)\)|ref\(([^)]*)\))(\?)?(:unique)?$/;
const KEBAB = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export interface ResourceOptions {
  root: string;
  name: string;
  plural: string | undefined;
  fieldSpecs: string[];
}

function checkResourceName(kebab: string, what: string): void {
  if (!KEBAB.test(kebab))
    throw new Refusal(`${what} "${kebab}" is not a name: use letters and digits, words separated by "-" (e.g. stock-item).`);
  if (RESERVED_RESOURCE.has(kebab) || RESERVED_RESOURCE.has(toSnake(toCamel(kebab))))
    throw new Refusal(`${what} "${kebab}" is reserved (a route, module, JavaScript or SQL word of this service); choose another name.`);
}

/** The resource a `ref(<name>)` points at: products, or one made by this generator (its contract exports `<name>Input`). */
function findReference(root: string, raw: string, self: Names): Reference {
  const kebab = toKebab(raw.trim());
  if (!KEBAB.test(kebab)) throw new Refusal(`ref(${raw}): "${raw}" is not a resource name.`);
  if (kebab === self.kebab || kebab === self.kebabPlural)
    throw new Refusal(`ref(${raw}): a resource cannot refer to itself (not supported yet).`);
  const contracts = path.join(root, "test/contract");
  const direct = namesOf(kebab);
  if ((direct.kebabPlural === "products" || kebab === "products") && existsSync(path.join(root, "src/modules/products/products.table.ts")))
    return { names: namesOf("product"), inputModule: "./target" };
  // A generated resource: its contract exports `<singular>Input`; the file name gives its plural.
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

export function parseField(root: string, spec: string, self: Names): Field {
  const match = FIELD_SPEC.exec(spec);
  if (!match)
    throw new Refusal(
      `cannot parse field "${spec}": expected <name>:<type>[?][:unique] with type one of ${SIMPLE_TYPES.join(", ")}, enum(a|b|c), ref(<resource>).`,
    );
  const [, rawName = "", rawType = "", enumList, refName, question, uniqueFlag] = match;
  const type: FieldType = rawType.startsWith("enum(") ? "enum" : rawType.startsWith("ref(") ? "ref" : (rawType as FieldType);
  let name = toCamel(rawName);
  if (type === "ref" && !name.endsWith("Id")) name = `${name}Id`;
  if (RESERVED_FIELD.has(name) || RESERVED_FIELD.has(rawName))
    throw new Refusal(`field "${rawName}" is reserved (server-owned, a list parameter or a JavaScript word).`);
  const enumValues = enumList === undefined ? [] : enumList.split("|").map((value) => value.trim());
  if (type === "enum") {
    if (
      enumValues.length < 2 ||
      enumValues.some((value) => !/^[a-z][a-z0-9_-]*$/.test(value)) ||
      new Set(enumValues).size !== enumValues.length
    )
      throw new Refusal(`field "${spec}": enum needs two or more distinct lower-case values, e.g. enum(raw|finished).`);
  }
  const unique = uniqueFlag !== undefined;
  if (unique && (type === "bool" || type === "enum")) throw new Refusal(`field "${spec}": a ${type} cannot be unique.`);
  return {
    name,
    column: toSnake(name),
    type,
    optional: question !== undefined,
    unique,
    enumValues,
    reference: type === "ref" ? findReference(root, refName ?? "", self) : undefined,
  };
}

function read(root: string, file: string): string {
  return readFileSync(path.join(root, file), "utf8");
}

/** Inserts `line` after the last line matching `after`; refuses if there is none. */
function insertAfterLast(text: string, after: RegExp, line: string, file: string): string {
  const lines = text.split("\n");
  let last = -1;
  lines.forEach((candidate, index) => {
    if (after.test(candidate)) last = index;
  });
  if (last < 0) throw new Refusal(`cannot find where to register the resource in ${file}; add it by hand.`);
  lines.splice(last + 1, 0, line);
  return lines.join("\n");
}

/** Every file the resource needs, computed without touching the disk. Throws Refusal on anything wrong. */
export function planResource(options: ResourceOptions): { resource: Resource; changes: FileChange[] } {
  const { root } = options;
  const kebab = toKebab(options.name);
  checkResourceName(kebab, "resource name");
  if (options.plural !== undefined) checkResourceName(toKebab(options.plural), "plural");
  const names = namesOf(kebab, options.plural === undefined ? undefined : toKebab(options.plural));
  if (names.kebabPlural === names.kebab) throw new Refusal(`plural of "${kebab}" equals the singular; pass --plural <name>.`);
  checkResourceName(names.kebabPlural, "plural");
  for (const existing of [
    `src/modules/${names.kebabPlural}`,
    `src/modules/${names.kebab}`,
    `test/contract/${names.kebabPlural}.contract.ts`,
  ]) {
    if (existsSync(path.join(root, existing))) throw new Refusal(`"${names.kebabPlural}" exists already (${existing}).`);
  }
  const schemaText = read(root, "src/db/schema.ts");
  if (new RegExp(`\\b${names.camelPlural}\\b`).test(schemaText) || existsSync(path.join(root, "drizzle", `${names.snakePlural}.sql`)))
    throw new Refusal(`a table "${names.snakePlural}" exists already.`);
  if (options.fieldSpecs.length === 0) throw new Refusal("give at least one field, e.g. name:string:unique.");
  const fields = options.fieldSpecs.map((spec) => parseField(root, spec, names));
  const seen = new Set<string>();
  for (const field of fields) {
    if (seen.has(field.name) || seen.has(field.column)) throw new Refusal(`field "${field.name}" is given twice.`);
    seen.add(field.name);
  }
  const resource: Resource = { names, fields };
  const overlong = overlongStatementName(resource);
  if (overlong !== undefined)
    throw new Refusal(`"${names.snakePlural}" makes statement names over 63 bytes (${overlong}); choose a shorter name or --plural.`);
  const dir = `src/modules/${names.kebabPlural}`;
  const file = (name: string) => `${dir}/${names.kebabPlural}.${name}.ts`;
  const changes: FileChange[] = [
    { path: file("table"), content: tableTemplate(resource), existed: false },
    { path: file("schemas"), content: schemasTemplate(resource), existed: false },
    { path: file("routes"), content: routesTemplate(resource), existed: false },
    { path: file("repository"), content: repositoryTemplate(resource), existed: false },
    { path: file("handlers"), content: handlersTemplate(resource), existed: false },
    { path: `${dir}/index.ts`, content: indexTemplate(resource), existed: false },
    { path: `test/contract/${names.kebabPlural}.contract.ts`, content: contractTemplate(resource), existed: false },
  ];

  const schema = `${schemaText.trimEnd()}\nexport * from "../modules/${names.kebabPlural}/${names.kebabPlural}.table";\n`;
  changes.push({ path: "src/db/schema.ts", content: schema, existed: true });

  // The module list: one import and one `.route(…)` after the last one (Biome formats the chain afterwards).
  let modules = read(root, "src/modules/index.ts");
  modules = insertAfterLast(
    modules,
    /^import .* from "\.\/[^"]+";$/,
    `import { ${names.camelPlural}Router } from "./${names.kebabPlural}";`,
    "src/modules/index.ts",
  );
  const lastRoute = [...modules.matchAll(/\.route\("\/[^"]+", \w+Router\)/g)].at(-1);
  if (!lastRoute || lastRoute.index === undefined)
    throw new Refusal("cannot find the last `.route(…)` in src/modules/index.ts; register the router by hand.");
  const end = lastRoute.index + lastRoute[0].length;
  modules = `${modules.slice(0, end)}.route("/${names.kebabPlural}", ${names.camelPlural}Router)${modules.slice(end)}`;
  changes.push({ path: "src/modules/index.ts", content: modules, existed: true });

  for (const runner of ["test/node/contract.test.ts", "test/workers/contract.test.ts"]) {
    let text = read(root, runner);
    text = insertAfterLast(
      text,
      /^import .* from "\.\.\/contract\//m.test(text) ? /^import .* from "\.\.\/contract\// : /^import /,
      `import { ${names.camelPlural}Contract } from "../contract/${names.kebabPlural}.contract";`,
      runner,
    );
    text = `${text.trimEnd()}\n${names.camelPlural}Contract(target);\n`;
    changes.push({ path: runner, content: text, existed: true });
  }
  return { resource, changes };
}
