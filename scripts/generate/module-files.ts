// A resource's module, `src/modules/<plural>/`: the same three files as products (see docs/generator.md).
import type { Resource } from "./model";
import { definitionTemplate } from "./templates/definition";
import { routerTemplate } from "./templates/router";
import { tableTemplate } from "./templates/table";

export interface ModuleFile {
  path: string;
  content: string;
}

/** The module's files as the templates write them; the generator formats them with Biome once written. */
export function moduleFiles(resource: Resource): ModuleFile[] {
  const dir = `src/modules/${resource.names.kebabPlural}`;
  return [
    { path: `${dir}/${resource.names.kebabPlural}.table.ts`, content: tableTemplate(resource) },
    { path: `${dir}/${resource.names.kebabPlural}.ts`, content: definitionTemplate(resource) },
    { path: `${dir}/index.ts`, content: routerTemplate(resource) },
  ];
}
