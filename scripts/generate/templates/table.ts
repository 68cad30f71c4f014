// `<plural>.table.ts`: the fields' one definition, their columns, and the indexes and checks the
// spec implies (list sorts, search, references, bounds, enums) plus its declared extras.
import type { Field, Resource } from "../model";

const builders: Record<Field["type"], string> = {
  string: "varchar",
  char: "char",
  text: "text",
  int: "integer",
  bigint: "bigint",
  bool: "boolean",
  decimal: "numeric",
  timestamp: "timestamp",
  uuid: "uuid",
  enum: "text",
  ref: "uuid",
};

function column(field: Field, table: string): string {
  const name = JSON.stringify(field.column);
  const options = {
    string: `, { length: ${field.length} }`,
    char: `, { length: ${field.length} }`,
    bigint: ', { mode: "number" }',
    decimal: ", { precision: 14, scale: 2 }",
    timestamp: ", { withTimezone: true, precision: 3 }",
    enum: `, { enum: ${JSON.stringify(field.enumValues)} }`,
  }[field.type as string];
  let code = `${builders[field.type]}(${name}${options ?? ""})`;
  if (!field.optional) code += ".notNull()";
  if (field.default !== undefined) code += `.default(${JSON.stringify(field.default)})`;
  if (field.unique) code += `.unique(${JSON.stringify(`${table}_${field.column}_unique`)})`;
  if (field.reference) code += `.references(() => ${field.reference.names.camelPlural}.id, { onDelete: "restrict" })`;
  return code;
}

/** `a >= 0`, `a <= 9`, or both: the API's bounds of a number, kept by the table for every writer. */
function rangeCheck(field: Field, table: string): string | undefined {
  const { min, max } = field.api;
  if ((field.type !== "int" && field.type !== "bigint") || (min === undefined && max === undefined)) return undefined;
  const value = `\${table.${field.name}}`;
  const bounds = [...(min === undefined ? [] : [`${value} >= ${min}`]), ...(max === undefined ? [] : [`${value} <= ${max}`])];
  return `check(${JSON.stringify(`${table}_${field.column}_range`)}, sql\`${bounds.join(" and ")}\`)`;
}

export function tableTemplate(resource: Resource): string {
  const { names, fields, extras } = resource;
  const table = names.snakePlural;
  const named = (suffix: string) => JSON.stringify(`${table}_${suffix}`);
  const on = (name: string) => `table.${name}`;
  const sorted = fields.filter((field) => field.sort);
  const searched = fields.filter((field) => field.search);
  // A sorted reference's (column, id) index serves its foreign key too.
  const referenced = fields.filter((field) => field.reference && !field.sort);
  const ranges = fields.flatMap((field) => rangeCheck(field, table) ?? []);
  const lines = [
    "// One index per list sort, with id as the keyset tie-breaker.",
    `index(${named("created_at_id_idx")}).on(table.createdAt, table.id)`,
    ...sorted.map((field) => `index(${named(`${field.column}_id_idx`)}).on(${on(field.name)}, table.id)`),
    ...(referenced.length > 0 ? ["// Filters by a reference, and deletes of the rows it names, look it up here."] : []),
    ...referenced.map((field) => `index(${named(`${field.column}_idx`)}).on(${on(field.name)})`),
    ...extras.indexes.flatMap((index) => [
      ...(index.why ? [`// ${index.why}`] : []),
      `index(${JSON.stringify(index.name)}).on(${index.fields.map(on).join(", ")})`,
    ]),
    ...(searched.length > 0
      ? ["// `q` is a case-insensitive substring match of folded text: trigram indexes on the same expression serve it."]
      : []),
    ...searched.map(
      (field) => `index(${named(`${field.column}_folded_trgm_idx`)}).using("gin", sql\`\${folded(${on(field.name)})} gin_trgm_ops\`)`,
    ),
    ...ranges,
    ...fields
      .filter((field) => field.type === "enum")
      .map(
        (field) =>
          `check(${named(`${field.column}_known`)}, sql\`\${${on(field.name)}} in (${field.enumValues.map((value) => `'${value}'`).join(", ")})\`)`,
      ),
    ...extras.checks.flatMap((check) => [
      ...(check.why ? [`// ${check.why}`] : []),
      `check(${JSON.stringify(check.name)}, sql\`${check.sql.replace(/\{(\w+)\}/g, (_, name: string) => `\${${on(name)}}`)}\`)`,
    ]),
    `check(${named("version_positive")}, sql\`\${table.version} >= 1\`)`,
  ].map((line) => (line.startsWith("//") ? line : `${line},`));

  const pgCore = new Set(["check", "index", "pgTable", ...fields.map((field) => builders[field.type])]);
  const references = fields.flatMap((field) =>
    field.reference
      ? [
          `import { ${field.reference.names.camelPlural} } from "../${field.reference.names.kebabPlural}/${field.reference.names.kebabPlural}.table";`,
        ]
      : [],
  );
  const imports = [
    'import { sql } from "drizzle-orm";',
    `import { ${[...pgCore].sort().join(", ")} } from "drizzle-orm/pg-core";`,
    'import { resourceId, resourceStamps } from "../../db/resource-table";',
    ...(searched.length > 0 ? ['import { folded } from "../../db/search";'] : []),
    ...new Set(references),
  ];
  return `${imports.join("\n")}

/** ${names.article === "an" ? "An" : "A"} ${names.words}'s fields are these columns; ${names.kebabPlural}.ts adds what the API says of them. */
export const ${names.camelPlural} = pgTable(
  "${table}",
  {
    ...resourceId(),
${fields.map((field) => `    ${field.name}: ${column(field, table)},`).join("\n")}
    ...resourceStamps(),
  },
  (table) => [
${lines.map((line) => `    ${line}`).join("\n")}
  ],
);
`;
}
