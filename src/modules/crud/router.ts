// The handlers of a CRUD resource, chained to its routes: HTTP in, repository calls, HTTP out.
import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/context";
import { VersionMismatch } from "../../core/domain-errors";
import { etagFor, noneMatchHits, pinnedVersion } from "../../core/etag";
import { locationOf } from "../../core/location";
import { setNextLink } from "../../core/paging";
import { createRouter } from "../../core/router";
import type { ResourceTable } from "../../db/resource-table";
import type { CreatedHeaders } from "./repository";
import type { Resource } from "./resource";

/** `If-Match` naming another resource or a weak tag can never match: 412 without touching the database. */
function expectedVersion(header: string | undefined, id: string): number | undefined {
  const version = pinnedVersion(header, id);
  if (version === null) throw new VersionMismatch();
  return version;
}

/** The headers of a created resource, for the answer and for the one stored under its Idempotency-Key. */
const createdHeaders =
  (collectionPath: string): CreatedHeaders =>
  ({ id, version }) => ({ ETag: etagFor(id, version), Location: locationOf(collectionPath, id) });

export function resourceRouter<Table extends ResourceTable>(resource: Resource<Table>) {
  const { routes } = resource;
  const repository = (c: { get(key: "db"): AppEnv["Variables"]["db"] }) => resource.repository(c.get("db"));

  const list: RouteHandler<typeof routes.list, AppEnv> = async (c) => {
    const query = c.req.valid("query");
    const page = await repository(c).list(query);
    setNextLink(c, query, page.nextCursor);
    return c.json(page, 200);
  };

  const getById: RouteHandler<typeof routes.getById, AppEnv> = async (c) => {
    const { id } = c.req.valid("param");
    const row = await repository(c).getById(id);
    const etag = etagFor(row.id, row.version);
    c.header("ETag", etag);
    if (noneMatchHits(c.req.header("if-none-match"), etag)) return c.body(null, 304);
    return c.json(row, 200);
  };

  const create: RouteHandler<typeof routes.create, AppEnv> = async (c) => {
    const headers = createdHeaders(c.req.path);
    const row = await repository(c).create(c.req.valid("json"), c.get("idempotency"), headers);
    for (const [name, value] of Object.entries(headers(row))) c.header(name, value);
    return c.json(row, 201);
  };

  const replace: RouteHandler<typeof routes.replace, AppEnv> = async (c) => {
    const { id } = c.req.valid("param");
    const row = await repository(c).replace(id, c.req.valid("json"), expectedVersion(c.req.header("if-match"), id));
    c.header("ETag", etagFor(row.id, row.version));
    return c.json(row, 200);
  };

  const patch: RouteHandler<typeof routes.patch, AppEnv> = async (c) => {
    const { id } = c.req.valid("param");
    const row = await repository(c).patch(id, c.req.valid("json"), expectedVersion(c.req.header("if-match"), id));
    c.header("ETag", etagFor(row.id, row.version));
    return c.json(row, 200);
  };

  const remove: RouteHandler<typeof routes.remove, AppEnv> = async (c) => {
    const { id } = c.req.valid("param");
    await repository(c).remove(id, expectedVersion(c.req.header("if-match"), id), c.get("principal"));
    return c.body(null, 204);
  };

  return createRouter()
    .openapi(routes.list, list)
    .openapi(routes.create, create)
    .openapi(routes.getById, getById)
    .openapi(routes.replace, replace)
    .openapi(routes.patch, patch)
    .openapi(routes.remove, remove);
}
