import type { Field, Resource } from "../model";
import { describe, inputSchema, outputSchema } from "./field-code";

/** Fields the list can filter on by equality: references, enums and booleans. */
export const filterFields = (resource: Resource): Field[] =>
  resource.fields.filter((field) => field.type === "ref" || field.type === "enum" || field.type === "bool");

/** Fields `q` searches (case-insensitive substring). */
export const searchFields = (resource: Resource): Field[] =>
  resource.fields.filter((field) => field.type === "string" || field.type === "text");

function filterSchema(field: Field): string {
  const description = JSON.stringify(
    `Only ${field.type === "ref" ? `those of this ${field.reference?.names.words ?? "resource"}` : `those with this ${field.name}`}.`,
  );
  if (field.type === "bool")
    return `z.enum(["true", "false"]).transform((value) => value === "true").optional().openapi({ param: { description: ${description} }, type: "boolean" })`;
  return `${inputSchema(field)}.optional().openapi({ param: { description: ${description} } })`;
}

export function schemasTemplate(resource: Resource): string {
  const { names, fields } = resource;
  const P = names.pascal;
  const search = searchFields(resource);
  const writable = fields
    .map(
      (field) =>
        `const ${field.name}Field = ${inputSchema(field)}${field.optional ? ".nullable()" : ""}.openapi({ description: ${JSON.stringify(describe(field))} });`,
    )
    .join("\n");
  const optionalNote = fields.filter((field) => field.optional).map((field) => field.name);
  const nul =
    search.length > 0
      ? `\nconst noNul = (value: string) => !value.includes("\\u0000");\nconst nulMessage = "must not contain NUL characters";\n`
      : "";
  const patterns = [
    // q and text fields refuse NUL; string fields also a blank value.
    ...(search.length > 0 ? ["NO_NUL_PATTERN"] : []),
    ...(fields.some((field) => field.type === "string") ? ["NOT_BLANK_NO_NUL_PATTERN"] : []),
  ];
  return `import { z } from "@hono/zod-openapi";
import { ${[...patterns, "uuidParam"].join(", ")} } from "../../core/openapi";
import { pageCursorParam, queryInt } from "../../core/query-params";
${nul}
${writable}

export const ${P}Schema = z
  .object({
    id: z.uuid().openapi({ example: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f" }),
${fields.map((field) => `    ${field.name}: ${outputSchema(field)},`).join("\n")}
    version: z.number().int().min(1).openapi({ description: "Grows by one on every change." }),
    createdAt: z.iso.datetime().openapi({ example: "2026-11-23T19:50:41.123Z" }),
    updatedAt: z.iso.datetime().openapi({ example: "2026-11-23T19:50:41.123Z" }),
  })
  .openapi("${P}");

/** POST body. Server-owned and unknown fields are rejected (422). */
export const Create${P}Schema = z
  .strictObject({
${fields.map((field) => `    ${field.name}: ${field.name}Field${field.optional ? ".optional()" : ""},`).join("\n")}
  })
  .openapi("Create${P}");

/** PUT body: a full replacement; omitted optional fields${optionalNote.length > 0 ? ` (${optionalNote.join(", ")})` : ""} become null. */
export const Replace${P}Schema = Create${P}Schema.openapi("Replace${P}");

/** PATCH body, a JSON merge patch (RFC 7396): present fields are set, null clears an optional field. */
export const Patch${P}Schema = z
  .strictObject({
${fields.map((field) => `    ${field.name}: ${field.name}Field.optional(),`).join("\n")}
  })
  .openapi("${P}MergePatch");

export const ${names.camel}Sorts = ["createdAt", "-createdAt"] as const;
export type ${P}Sort = (typeof ${names.camel}Sorts)[number];

export const List${names.pascalPlural}QuerySchema = z.object({
  limit: queryInt(1, 100)
    .optional()
    .openapi({ param: { description: "Page size, 1..100 (default 20)." }, type: "integer", minimum: 1, maximum: 100, default: 20, example: 20 }),
  cursor: pageCursorParam,
  sort: z
    .enum(${names.camel}Sorts)
    .optional()
    .openapi({ param: { description: "Sort key; \`-\` for descending (default \`-createdAt\`)." } }),
${
  search.length > 0
    ? `  q: z
    .string()
    .min(1)
    .max(200)
    .refine(noNul, nulMessage)
    .optional()
    .openapi({
      param: { description: ${JSON.stringify(`Case-insensitive substring of ${search.map((field) => field.name).join(" or ")}.`)} },
      pattern: NO_NUL_PATTERN,
    }),
`
    : ""
}${filterFields(resource)
  .map((field) => `  ${field.name}: ${filterSchema(field)},\n`)
  .join("")}});

export type List${names.pascalPlural}Query = z.infer<typeof List${names.pascalPlural}QuerySchema>;

export const ${P}PageSchema = z
  .object({
    data: z.array(${P}Schema),
    nextCursor: z.string().nullable().openapi({ description: "Pass as \`cursor\` for the next page; null on the last page." }),
  })
  .openapi("${P}Page");

export const ${P}IdParamsSchema = z.object({ id: uuidParam("${capitalise(names.words)} id (UUID).") });

export type ${P} = z.infer<typeof ${P}Schema>;
export type Create${P}Input = z.infer<typeof Create${P}Schema>;
export type Patch${P}Input = z.infer<typeof Patch${P}Schema>;
`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
