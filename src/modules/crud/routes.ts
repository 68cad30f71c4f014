// The six routes of a CRUD resource, as data: every response each can give, for the document.
import { createRoute } from "@hono/zod-openapi";
import { requireRole } from "../../core/auth/middleware";
import {
  apiSuccessHeaders,
  authProblems,
  bearerSecurity,
  bodyProblems,
  commonProblems,
  conditionalHeader,
  IdempotencyKeyHeaders,
  idempotencyReplayedHeader,
  problemResponses,
} from "../../core/openapi";
import type { ResourceTable } from "../../db/resource-table";
import { honourIdempotencyKey } from "../idempotency/idempotency.middleware";
import { capitaliseFirst, type ResourceNames } from "./names";
import type { ResourceSchemas } from "./schemas";

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

export function resourceRoutes<Table extends ResourceTable>(names: ResourceNames, schemas: ResourceSchemas<Table>) {
  const { words, article } = names;
  const tags = [capitaliseFirst(names.wordsPlural)];
  const headers = {
    ...apiSuccessHeaders,
    ETag: { description: "Entity tag of this version; send it back in `If-Match`.", required: true, schema: { type: "string" as const } },
  };
  const ifMatch = conditionalHeader("If-Match", `Only change the ${words} if its ETag is one of these (else 412).`);
  const json = (description: string) => ({ description, headers, content: { "application/json": { schema: schemas.Output } } });

  const list = createRoute({
    security: bearerSecurity,
    middleware: requireRole("viewer"),
    method: "get",
    path: "/",
    operationId: `list${names.pascalPlural}`,
    tags,
    summary: `List ${names.wordsPlural} (keyset paging)`,
    request: { query: schemas.ListQuery },
    responses: {
      200: {
        description: `A page of ${names.wordsPlural}.`,
        headers: {
          ...apiSuccessHeaders,
          Link: { description: 'RFC 8288 `<…>; rel="next"` when there is a next page.', schema: { type: "string" } },
        },
        content: { "application/json": { schema: schemas.Page } },
      },
      ...problemResponses(...authProblems, "validation_failed", ...commonProblems),
    },
  });

  const getById = createRoute({
    security: bearerSecurity,
    middleware: requireRole("viewer"),
    method: "get",
    path: "/{id}",
    operationId: `get${names.pascal}`,
    tags,
    summary: `Get ${article} ${words}`,
    request: { params: schemas.IdParams },
    parameters: [conditionalHeader("If-None-Match", "Answer 304 without a body when the ETag matches.")],
    responses: {
      200: json(`The ${words}.`),
      304: { description: "Not modified: `If-None-Match` matched.", headers },
      ...problemResponses(...authProblems, "not_found", "validation_failed", ...commonProblems),
    },
  });

  const create = createRoute({
    security: bearerSecurity,
    middleware: [requireRole("editor"), honourIdempotencyKey],
    method: "post",
    path: "/",
    operationId: `create${names.pascal}`,
    tags,
    summary: `Create ${article} ${words}`,
    request: {
      headers: IdempotencyKeyHeaders,
      body: { required: true, content: { "application/json": { schema: schemas.Create } } },
    },
    responses: {
      201: {
        ...json("Created."),
        headers: {
          ...headers,
          ...idempotencyReplayedHeader,
          Location: { description: `URL of the new ${words}.`, required: true, schema: { type: "string" } },
        },
      },
      ...problemResponses(...authProblems, "conflict", ...bodyProblems, "unsupported_media_type", "validation_failed", ...commonProblems),
    },
  });

  const replace = createRoute({
    security: bearerSecurity,
    middleware: requireRole("editor"),
    method: "put",
    path: "/{id}",
    operationId: `replace${names.pascal}`,
    tags,
    summary: `Replace ${article} ${words}'s writable fields`,
    request: {
      params: schemas.IdParams,
      body: { required: true, content: { "application/json": { schema: schemas.Replace } } },
    },
    parameters: [ifMatch],
    responses: { 200: json(`The replaced ${words}.`), ...updateProblems },
  });

  const patch = createRoute({
    security: bearerSecurity,
    middleware: requireRole("editor"),
    method: "patch",
    path: "/{id}",
    operationId: `patch${names.pascal}`,
    tags,
    summary: "Change some fields (JSON merge patch)",
    request: {
      params: schemas.IdParams,
      body: {
        required: true,
        content: {
          "application/merge-patch+json": { schema: schemas.Patch },
          "application/json": { schema: schemas.Patch },
        },
      },
    },
    parameters: [ifMatch],
    responses: { 200: json(`The patched ${words}.`), ...updateProblems },
  });

  const remove = createRoute({
    security: bearerSecurity,
    middleware: requireRole("admin"),
    method: "delete",
    path: "/{id}",
    operationId: `delete${names.pascal}`,
    tags,
    summary: `Delete ${article} ${words}`,
    request: { params: schemas.IdParams },
    parameters: [ifMatch],
    responses: {
      204: { description: "Deleted.", headers: apiSuccessHeaders },
      ...problemResponses(
        ...authProblems,
        "not_found",
        "conflict",
        "precondition_failed",
        ...bodyProblems,
        "validation_failed",
        ...commonProblems,
      ),
    },
  });

  return { list, getById, create, replace, patch, remove };
}
