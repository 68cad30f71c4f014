// `index.ts`: the resource's router, as src/modules/index.ts imports it.
import type { Resource } from "../model";

export const routerTemplate = ({ names }: Resource) => `import { resourceRouter } from "../crud/router";
import { ${names.camel}Resource } from "./${names.kebabPlural}";

export const ${names.camelPlural}Router = resourceRouter(${names.camel}Resource);
`;
