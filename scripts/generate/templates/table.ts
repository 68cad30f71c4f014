import type { Resource } from "../model";
import { column, columnImports } from "./field-code";
import { searchFields } from "./schemas";

export function tableTemplate(resource: Resource): string {
  const { names, fields } = resource;
  const table = names.snakePlural;
  const references = fields.flatMap((field) =>
    field.type === "ref" && field.reference
      ? [
          `import { ${field.reference.names.camelPlural} } from "../${field.reference.names.kebabPlural}/${field.reference.names.kebabPlural}.table";`,
        ]
      : [],
  );
  const indexes = [`    index("${table}_created_at_id_idx").on(table.createdAt, table.id),`];
  for (const field of fields) {
    if (field.type === "ref") indexes.push(`    index("${table}_${field.column}_idx").on(table.${field.name}),`);
  }
  const search = searchFields(resource);
  if (search.length > 0) indexes.push("    // `q` matches folded text (db/search.ts): trigram indexes on the same expression serve it.");
  for (const field of search)
    indexes.push(
      `    index("${table}_${field.column}_folded_trgm_idx").using("gin", sql\`\${folded(table.${field.name})} gin_trgm_ops\`),`,
    );
  for (const field of fields) {
    if (field.type === "enum")
      indexes.push(
        `    check("${table}_${field.column}_known", sql\`\${table.${field.name}} in (${field.enumValues.map((value) => `'${value}'`).join(", ")})\`),`,
      );
  }
  indexes.push(`    check("${table}_version_positive", sql\`\${table.version} >= 1\`),`);
  return `import { sql } from "drizzle-orm";
import { ${columnImports(resource).join(", ")} } from "drizzle-orm/pg-core";
${search.length > 0 ? 'import { folded } from "../../db/search";\n' : ""}${[...new Set(references)].join("\n")}${references.length > 0 ? "\n" : ""}
export const ${names.camelPlural} = pgTable(
  "${table}",
  {
    id: uuid("id").primaryKey(),
${fields.map((field) => `    ${field.name}: ${column(field, table)},`).join("\n")}
    version: integer("version").notNull().default(1),
    // Millisecond precision: the API exposes milliseconds and keyset cursors carry them exactly.
    createdAt: timestamp("created_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (table) => [
    // The list's keyset order (createdAt, id); every reference gets an index for its filter and for the foreign key.
${indexes.join("\n")}
  ],
);

export type ${names.pascal}Row = typeof ${names.camelPlural}.$inferSelect;
export type New${names.pascal}Row = typeof ${names.camelPlural}.$inferInsert;
`;
}
