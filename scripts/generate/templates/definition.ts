// `<plural>.ts`: the resource's API on its table (crud/resource.ts `defineResource`): the words, examples
// and rules its columns cannot say, and what its list sorts by, searches and filters on.
import type { Field, Resource } from "../model";

const literal = (value: string | number | boolean) => JSON.stringify(value);

/** A field's `FieldOptions`, or nothing when the kit's derived words and rules are all it needs. */
function fieldOptions(field: Field): string | undefined {
  const { description, example, min, max, pattern } = field.api;
  const options = [
    ...(description === undefined ? [] : [`description: ${literal(description)}`]),
    ...(example === undefined ? [] : [`example: ${literal(example)}`]),
    ...(min === undefined ? [] : [`min: ${min}`]),
    ...(max === undefined ? [] : [`max: ${max}`]),
    ...(pattern === undefined ? [] : [`pattern: { regex: /${new RegExp(pattern.regex).source}/, message: ${literal(pattern.message)} }`]),
  ];
  return options.length === 0 ? undefined : `${field.name}: { ${options.join(", ")} }`;
}

export function definitionTemplate(resource: Resource): string {
  const { names, fields } = resource;
  const options = fields.flatMap((field) => fieldOptions(field) ?? []);
  const keys = (chosen: Field[]) => `[${chosen.map((field) => literal(field.name)).join(", ")}]`;
  const sorts = fields.filter((field) => field.sort);
  const search = fields.filter((field) => field.search);
  const filters = fields.flatMap((field) =>
    field.filters.map(
      (filter) =>
        `{ name: ${literal(filter.name)}, field: ${literal(field.name)}, op: ${literal(filter.op)}${filter.description === undefined ? "" : `, description: ${literal(filter.description)}`} }`,
    ),
  );
  const list = [
    ...(sorts.length > 0 ? [`sorts: ${keys(sorts)}`] : []),
    ...(search.length > 0 ? [`search: ${keys(search)}`] : []),
    ...(filters.length > 0 ? [`filters: [\n${filters.map((filter) => `      ${filter},`).join("\n")}\n    ]`] : []),
  ];
  const declaration = [
    `name: ${literal(names.kebab)}`,
    ...(resource.plural === undefined ? [] : [`plural: ${literal(resource.plural)}`]),
    `table: ${names.camelPlural}`,
    ...(options.length > 0 ? [`fields: {\n${options.map((option) => `    ${option},`).join("\n")}\n  }`] : []),
    ...(list.length > 0 ? [`list: {\n${list.map((entry) => `    ${entry},`).join("\n")}\n  }`] : []),
  ];
  return `import { defineResource } from "../crud/resource";
import { ${names.camelPlural} } from "./${names.kebabPlural}.table";

/** The ${names.wordsPlural} API: the table's fields, with the words, examples and rules a column cannot say. */
export const ${names.camel}Resource = defineResource({
${declaration.map((entry) => `  ${entry},`).join("\n")}
});
`;
}
