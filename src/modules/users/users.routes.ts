import { createRoute } from "@hono/zod-openapi";
import { requireRole } from "../../core/auth/middleware";
import {
  apiSuccessHeaders,
  authProblems,
  bearerSecurity,
  bodyProblems,
  commonProblems,
  IdempotencyKeyHeaders,
  idempotencyReplayedHeader,
  problemResponses,
} from "../../core/openapi";
import { honourIdempotencyKey } from "../idempotency/idempotency.middleware";
import { CreateUserSchema, ListUsersQuerySchema, PatchUserSchema, UserIdParamsSchema, UserPageSchema, UserSchema } from "./users.schemas";

const tags = ["Users"];
const adminOnly = requireRole("admin");
const userJson = (description: string) => ({
  description,
  headers: apiSuccessHeaders,
  content: { "application/json": { schema: UserSchema } },
});

export const me = createRoute({
  method: "get",
  path: "/me",
  security: bearerSecurity,
  operationId: "getCurrentUser",
  tags,
  summary: "The user the token speaks for (any role)",
  responses: { 200: userJson("The current user."), ...problemResponses(...authProblems, "not_found", ...commonProblems) },
});

export const list = createRoute({
  method: "get",
  path: "/",
  security: bearerSecurity,
  operationId: "listUsers",
  tags,
  summary: "List users (admin)",
  middleware: adminOnly,
  request: { query: ListUsersQuerySchema },
  responses: {
    200: {
      description: "A page of users.",
      headers: {
        ...apiSuccessHeaders,
        Link: { description: 'RFC 8288 `<…>; rel="next"` when there is a next page.', schema: { type: "string" } },
      },
      content: { "application/json": { schema: UserPageSchema } },
    },
    ...problemResponses(...authProblems, "validation_failed", ...commonProblems),
  },
});

export const create = createRoute({
  method: "post",
  path: "/",
  security: bearerSecurity,
  operationId: "createUser",
  tags,
  summary: "Create a user (admin)",
  middleware: [adminOnly, honourIdempotencyKey],
  request: {
    headers: IdempotencyKeyHeaders,
    body: { required: true, content: { "application/json": { schema: CreateUserSchema } } },
  },
  responses: {
    201: {
      ...userJson("Created."),
      headers: {
        ...apiSuccessHeaders,
        ...idempotencyReplayedHeader,
        Location: { description: "URL of the new user.", required: true, schema: { type: "string" } },
      },
    },
    ...problemResponses(...authProblems, "conflict", ...bodyProblems, "unsupported_media_type", "validation_failed", ...commonProblems),
  },
});

export const getById = createRoute({
  method: "get",
  path: "/{id}",
  security: bearerSecurity,
  operationId: "getUser",
  tags,
  summary: "Get a user (admin)",
  middleware: adminOnly,
  request: { params: UserIdParamsSchema },
  responses: { 200: userJson("The user."), ...problemResponses(...authProblems, "not_found", "validation_failed", ...commonProblems) },
});

export const patch = createRoute({
  method: "patch",
  path: "/{id}",
  security: bearerSecurity,
  operationId: "patchUser",
  tags,
  summary: "Change a user's role or password (admin)",
  description: "Nobody can raise their own role; the last admin cannot be demoted (409).",
  middleware: adminOnly,
  request: {
    params: UserIdParamsSchema,
    body: {
      required: true,
      content: { "application/merge-patch+json": { schema: PatchUserSchema }, "application/json": { schema: PatchUserSchema } },
    },
  },
  responses: {
    200: userJson("The changed user."),
    ...problemResponses(
      ...authProblems,
      "not_found",
      "conflict",
      ...bodyProblems,
      "unsupported_media_type",
      "validation_failed",
      ...commonProblems,
    ),
  },
});

export const remove = createRoute({
  method: "delete",
  path: "/{id}",
  security: bearerSecurity,
  operationId: "deleteUser",
  tags,
  summary: "Delete a user (admin)",
  description: "The last admin cannot be deleted (409).",
  middleware: adminOnly,
  request: { params: UserIdParamsSchema },
  responses: {
    204: { description: "Deleted.", headers: apiSuccessHeaders },
    ...problemResponses(...authProblems, "not_found", "conflict", ...bodyProblems, "validation_failed", ...commonProblems),
  },
});
