// `generate resource`: plans every file of a resource from its spec (a file, or the CLI's fields) first,
// and refuses before writing anything.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { cliField } from "./cli-fields";
import type { Resource } from "./model";
import { moduleFiles } from "./module-files";
import { Refusal } from "./refusal";
import { resolveResource, resourceNames } from "./resolve";
import type { ResourceSpec } from "./spec";
import { contractTemplate } from "./templates/contract";

export { Refusal };

/** One file the generator writes (new) or rewrites (an existing file with a registration added). */
export interface FileChange {
  path: string;
  content: string;
  existed: boolean;
}

export interface ResourceOptions {
  root: string;
  /** A spec file's contents, or the CLI's name, plural and fields. */
  spec: ResourceSpec | { name: string; plural: string | undefined; fieldSpecs: string[] };
}

/** The spec the CLI's arguments describe. */
function cliSpec({ name, plural, fieldSpecs }: { name: string; plural: string | undefined; fieldSpecs: string[] }): ResourceSpec {
  if (fieldSpecs.length === 0) throw new Refusal("give at least one field, e.g. name:string:unique.");
  return { name, ...(plural === undefined ? {} : { plural }), fields: fieldSpecs.map(cliField) };
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
  const spec = "fieldSpecs" in options.spec ? cliSpec(options.spec) : options.spec;
  const names = resourceNames(spec);
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
  const resource = resolveResource(root, spec);
  const changes: FileChange[] = [
    ...moduleFiles(resource).map((file) => ({ ...file, existed: false })),
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

  // The contract suites' one list, which the Node, Workers and built-server runners iterate: an import and an entry at its end.
  const suitesFile = "test/contract/suites.ts";
  let suites = read(root, suitesFile);
  suites = insertAfterLast(
    suites,
    /^import .* from "\.\/[^"]+";$/,
    `import { ${names.camelPlural}Contract } from "./${names.kebabPlural}.contract";`,
    suitesFile,
  );
  const entry = /^ {2}\{ name: "[^"]+", run: \w+Contract \},$/;
  suites = insertAfterLast(
    suites,
    suites.split("\n").some((line) => entry.test(line)) ? entry : /^export const contractSuites\b.* = \[$/,
    `  { name: "${names.kebabPlural}", run: ${names.camelPlural}Contract },`,
    suitesFile,
  );
  changes.push({ path: suitesFile, content: suites, existed: true });
  return { resource, changes };
}
