import { createRouter } from "../../core/router";
import { createUser, getCurrentUser, getUser, listUsers, patchUser, removeUser } from "./users.handlers";
import { create, getById, list, me, patch, remove } from "./users.routes";

// `/me` is registered before `/{id}` so it is never read as an id.
export const usersRouter = createRouter()
  .openapi(me, getCurrentUser)
  .openapi(list, listUsers)
  .openapi(create, createUser)
  .openapi(getById, getUser)
  .openapi(patch, patchUser)
  .openapi(remove, removeUser);
