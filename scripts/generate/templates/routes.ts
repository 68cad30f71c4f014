import type { Resource } from "../model";

export function routesTemplate({ names }: Resource): string {
  const P = names.pascal;
  const a = /^[aeiou]/.test(names.words) ? "an" : "a";
  return `import { createRoute } from "@hono/zod-openapi";
import { requireRole } from "../../core/auth/middleware";
import {
  apiSuccessHeaders,
  authProblems,
  bearerSecurity,
  bodyProblems,
  commonProblems,
  conditionalHeader,
  problemResponses,
} from "../../core/openapi";
import {
  Create${P}Schema,
  List${names.pascalPlural}QuerySchema,
  Patch${P}Schema,
  ${P}IdParamsSchema,
  ${P}PageSchema,
  ${P}Schema,
  Replace${P}Schema,
} from "./${names.kebabPlural}.schemas";

const tags = ["${capitalise(names.wordsPlural)}"];

const ${names.camel}Headers = {
  ...apiSuccessHeaders,
  ETag: { description: "Entity tag of this version; send it back in \`If-Match\`.", required: true, schema: { type: "string" as const } },
};

const ifMatch = conditionalHeader("If-Match", "Only change the ${names.words} if its ETag is one of these (else 412).");

const ${names.camel}Json = (description: string) => ({
  description,
  headers: ${names.camel}Headers,
  content: { "application/json": { schema: ${P}Schema } },
});

const updateProblems = problemResponses(
  ...authProblems,
  "not_found",
  "conflict",
  "precondition_failed",
  ...bodyProblems,
  "unsupported_media_type",
  "validation_failed",
  ...commonProblems,
);

export const list = createRoute({
  security: bearerSecurity,
  middleware: requireRole("viewer"),
  method: "get",
  path: "/",
  operationId: "list${names.pascalPlural}",
  tags,
  summary: "List ${names.wordsPlural} (keyset paging)",
  request: { query: List${names.pascalPlural}QuerySchema },
  responses: {
    200: {
      description: "A page of ${names.wordsPlural}.",
      headers: {
        ...apiSuccessHeaders,
        Link: { description: 'RFC 8288 \`<…>; rel="next"\` when there is a next page.', schema: { type: "string" } },
      },
      content: { "application/json": { schema: ${P}PageSchema } },
    },
    ...problemResponses(...authProblems, "validation_failed", ...commonProblems),
  },
});

export const getById = createRoute({
  security: bearerSecurity,
  middleware: requireRole("viewer"),
  method: "get",
  path: "/{id}",
  operationId: "get${P}",
  tags,
  summary: "Get ${a} ${names.words}",
  request: { params: ${P}IdParamsSchema },
  parameters: [conditionalHeader("If-None-Match", "Answer 304 without a body when the ETag matches.")],
  responses: {
    200: ${names.camel}Json("The ${names.words}."),
    304: { description: "Not modified: \`If-None-Match\` matched.", headers: ${names.camel}Headers },
    ...problemResponses(...authProblems, "not_found", "validation_failed", ...commonProblems),
  },
});

export const create = createRoute({
  security: bearerSecurity,
  middleware: requireRole("editor"),
  method: "post",
  path: "/",
  operationId: "create${P}",
  tags,
  summary: "Create ${a} ${names.words}",
  request: { body: { required: true, content: { "application/json": { schema: Create${P}Schema } } } },
  responses: {
    201: {
      ...${names.camel}Json("Created."),
      headers: {
        ...${names.camel}Headers,
        Location: { description: "URL of the new ${names.words}.", required: true, schema: { type: "string" } },
      },
    },
    ...problemResponses(...authProblems, "conflict", ...bodyProblems, "unsupported_media_type", "validation_failed", ...commonProblems),
  },
});

export const replace = createRoute({
  security: bearerSecurity,
  middleware: requireRole("editor"),
  method: "put",
  path: "/{id}",
  operationId: "replace${P}",
  tags,
  summary: "Replace ${a} ${names.words}'s writable fields",
  request: {
    params: ${P}IdParamsSchema,
    body: { required: true, content: { "application/json": { schema: Replace${P}Schema } } },
  },
  parameters: [ifMatch],
  responses: {
    200: ${names.camel}Json("The replaced ${names.words}."),
    ...updateProblems,
  },
});

export const patch = createRoute({
  security: bearerSecurity,
  middleware: requireRole("editor"),
  method: "patch",
  path: "/{id}",
  operationId: "patch${P}",
  tags,
  summary: "Change some fields (JSON merge patch)",
  request: {
    params: ${P}IdParamsSchema,
    body: {
      required: true,
      content: {
        "application/merge-patch+json": { schema: Patch${P}Schema },
        "application/json": { schema: Patch${P}Schema },
      },
    },
  },
  parameters: [ifMatch],
  responses: {
    200: ${names.camel}Json("The patched ${names.words}."),
    ...updateProblems,
  },
});

export const remove = createRoute({
  security: bearerSecurity,
  middleware: requireRole("admin"),
  method: "delete",
  path: "/{id}",
  operationId: "delete${P}",
  tags,
  summary: "Delete ${a} ${names.words}",
  request: { params: ${P}IdParamsSchema },
  parameters: [ifMatch],
  responses: {
    204: { description: "Deleted.", headers: apiSuccessHeaders },
    ...problemResponses(...authProblems, "not_found", "conflict", "precondition_failed", ...bodyProblems, "validation_failed", ...commonProblems),
  },
});
`;
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
