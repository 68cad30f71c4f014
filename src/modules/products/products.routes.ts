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
import { honourIdempotencyKey } from "../idempotency/idempotency.middleware";
import {
  CreateProductSchema,
  ListProductsQuerySchema,
  PatchProductSchema,
  ProductIdParamsSchema,
  ProductPageSchema,
  ProductSchema,
  ReplaceProductSchema,
} from "./products.schemas";

const tags = ["Products"];

const productHeaders = {
  ...apiSuccessHeaders,
  ETag: { description: "Entity tag of this version; send it back in `If-Match`.", required: true, schema: { type: "string" as const } },
};

const ifMatch = conditionalHeader("If-Match", "Only change the product if its ETag is one of these (else 412).");

const productJson = (description: string) => ({
  description,
  headers: productHeaders,
  content: { "application/json": { schema: ProductSchema } },
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
  operationId: "listProducts",
  tags,
  summary: "List products (keyset paging)",
  request: { query: ListProductsQuerySchema },
  responses: {
    200: {
      description: "A page of products.",
      headers: {
        ...apiSuccessHeaders,
        Link: { description: 'RFC 8288 `<…>; rel="next"` when there is a next page.', schema: { type: "string" } },
      },
      content: { "application/json": { schema: ProductPageSchema } },
    },
    ...problemResponses(...authProblems, "validation_failed", ...commonProblems),
  },
});

export const getById = createRoute({
  security: bearerSecurity,
  middleware: requireRole("viewer"),
  method: "get",
  path: "/{id}",
  operationId: "getProduct",
  tags,
  summary: "Get a product",
  request: { params: ProductIdParamsSchema },
  parameters: [conditionalHeader("If-None-Match", "Answer 304 without a body when the ETag matches.")],
  responses: {
    200: productJson("The product."),
    304: { description: "Not modified: `If-None-Match` matched.", headers: productHeaders },
    ...problemResponses(...authProblems, "not_found", "validation_failed", ...commonProblems),
  },
});

export const create = createRoute({
  security: bearerSecurity,
  middleware: [requireRole("editor"), honourIdempotencyKey],
  method: "post",
  path: "/",
  operationId: "createProduct",
  tags,
  summary: "Create a product",
  request: {
    headers: IdempotencyKeyHeaders,
    body: { required: true, content: { "application/json": { schema: CreateProductSchema } } },
  },
  responses: {
    201: {
      ...productJson("Created."),
      headers: {
        ...productHeaders,
        ...idempotencyReplayedHeader,
        Location: { description: "URL of the new product.", required: true, schema: { type: "string" } },
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
  operationId: "replaceProduct",
  tags,
  summary: "Replace a product's writable fields",
  request: {
    params: ProductIdParamsSchema,
    body: { required: true, content: { "application/json": { schema: ReplaceProductSchema } } },
  },
  parameters: [ifMatch],
  responses: {
    200: productJson("The replaced product."),
    ...updateProblems,
  },
});

export const patch = createRoute({
  security: bearerSecurity,
  middleware: requireRole("editor"),
  method: "patch",
  path: "/{id}",
  operationId: "patchProduct",
  tags,
  summary: "Change some fields (JSON merge patch)",
  request: {
    params: ProductIdParamsSchema,
    body: {
      required: true,
      content: {
        "application/merge-patch+json": { schema: PatchProductSchema },
        "application/json": { schema: PatchProductSchema },
      },
    },
  },
  parameters: [ifMatch],
  responses: {
    200: productJson("The patched product."),
    ...updateProblems,
  },
});

export const remove = createRoute({
  security: bearerSecurity,
  middleware: requireRole("admin"),
  method: "delete",
  path: "/{id}",
  operationId: "deleteProduct",
  tags,
  summary: "Delete a product",
  request: { params: ProductIdParamsSchema },
  parameters: [ifMatch],
  responses: {
    204: { description: "Deleted.", headers: apiSuccessHeaders },
    ...problemResponses(...authProblems, "not_found", "precondition_failed", ...bodyProblems, "validation_failed", ...commonProblems),
  },
});
