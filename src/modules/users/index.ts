import { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/context";
import { validationHook } from "../../core/validation";
import { createUser, getCurrentUser, getUser, listUsers, patchUser, removeUser } from "./users.handlers";
import { create, getById, list, me, patch, remove } from "./users.routes";

// `/me` is registered before `/{id}` so it is never read as an id.
export const usersRouter = new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
  .openapi(me, getCurrentUser)
  .openapi(list, listUsers)
  .openapi(create, createUser)
  .openapi(getById, getUser)
  .openapi(patch, patchUser)
  .openapi(remove, removeUser);
