import type { RouteHandler } from "@hono/zod-openapi";
import type { Context } from "hono";
import { hashPassword } from "../../core/auth/password";
import { roleAtLeast } from "../../core/auth/roles";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../core/errors";
import { locationOf } from "../../core/location";
import { setNextLink } from "../../core/paging";
import { toUser, UserRepository } from "./users.repository";
import type { create, getById, list, me, patch, remove } from "./users.routes";

/** The caller's repository: its admin statements check the caller's stored role (see UserRepository). */
const repository = (c: Context<AppEnv>) => new UserRepository(c.get("db"), c.get("principal"));

export const getCurrentUser: RouteHandler<typeof me, AppEnv> = async (c) => {
  const principal = c.get("principal");
  if (principal.source === "external") {
    // Users of an external identity provider have no row here: describe them from their token.
    return c.json({ id: principal.subject, email: principal.email ?? null, role: principal.role, createdAt: null, updatedAt: null }, 200);
  }
  // Anyone may read themselves: no stored-role check.
  return c.json(toUser(await new UserRepository(c.get("db")).getById(principal.subject)), 200);
};

export const listUsers: RouteHandler<typeof list, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const page = await repository(c).list(query);
  setNextLink(c, query, page.nextCursor);
  return c.json(page, 200);
};

export const createUser: RouteHandler<typeof create, AppEnv> = async (c) => {
  const { email, password, role } = c.req.valid("json");
  const location = (id: string) => locationOf(c.req.path, id);
  const user = toUser(
    await repository(c).create({ email, role, passwordHash: await hashPassword(password) }, c.get("idempotency"), location),
  );
  c.header("Location", location(user.id));
  return c.json(user, 201);
};

export const getUser: RouteHandler<typeof getById, AppEnv> = async (c) => {
  return c.json(toUser(await repository(c).getById(c.req.valid("param").id)), 200);
};

export const patchUser: RouteHandler<typeof patch, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const { role, password } = c.req.valid("json");
  const principal = c.get("principal");
  // The token's role is the stored one here: the update below refuses a token issued before any role change.
  if (role !== undefined && id === principal.subject && roleAtLeast(role, principal.role) && role !== principal.role) {
    throw new ApiError("forbidden", "Nobody can raise their own role.");
  }
  const changes = {
    ...(role === undefined ? {} : { role }),
    ...(password === undefined ? {} : { passwordHash: await hashPassword(password) }),
  };
  return c.json(toUser(await repository(c).update(id, changes)), 200);
};

export const removeUser: RouteHandler<typeof remove, AppEnv> = async (c) => {
  await repository(c).remove(c.req.valid("param").id);
  return c.body(null, 204);
};
