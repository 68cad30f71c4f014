import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../core/errors";
import { etagFor, noneMatchHits, pinnedVersion } from "../../core/etag";
import { setNextLink } from "../../core/paging";
import { ProductRepository } from "./products.repository";
import type { create, getById, list, patch, remove, replace } from "./products.routes";

const repository = (c: { get(key: "db"): AppEnv["Variables"]["db"] }) => new ProductRepository(c.get("db"));

/** `If-Match` naming another resource or a weak tag can never match: 412 without touching the database. */
function expectedVersion(header: string | undefined, id: string): number | undefined {
  const version = pinnedVersion(header, id);
  if (version === null) throw new ApiError("precondition_failed", "If-Match does not match the current version; nothing was changed.");
  return version;
}

export const listProducts: RouteHandler<typeof list, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const page = await repository(c).list(query);
  setNextLink(c, query, page.nextCursor);
  return c.json(page, 200);
};

export const getProduct: RouteHandler<typeof getById, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const product = await repository(c).getById(id);
  const etag = etagFor(product.id, product.version);
  c.header("ETag", etag);
  if (noneMatchHits(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  return c.json(product, 200);
};

export const createProduct: RouteHandler<typeof create, AppEnv> = async (c) => {
  const product = await repository(c).create(c.req.valid("json"), c.get("idempotency"));
  c.header("ETag", etagFor(product.id, product.version));
  c.header("Location", `${c.req.path.replace(/\/$/, "")}/${product.id}`);
  return c.json(product, 201);
};

export const replaceProduct: RouteHandler<typeof replace, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const product = await repository(c).replace(id, c.req.valid("json"), expectedVersion(c.req.header("if-match"), id));
  c.header("ETag", etagFor(product.id, product.version));
  return c.json(product, 200);
};

export const patchProduct: RouteHandler<typeof patch, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const product = await repository(c).patch(id, c.req.valid("json"), expectedVersion(c.req.header("if-match"), id));
  c.header("ETag", etagFor(product.id, product.version));
  return c.json(product, 200);
};

export const removeProduct: RouteHandler<typeof remove, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  await repository(c).remove(id, expectedVersion(c.req.header("if-match"), id), c.get("principal"));
  return c.body(null, 204);
};
