import type { Resource } from "../model";

export function handlersTemplate({ names }: Resource): string {
  const P = names.pascal;
  const v = names.camel;
  return `import type { RouteHandler } from "@hono/zod-openapi";
import type { AppEnv } from "../../core/context";
import { ApiError } from "../../core/errors";
import { etagFor, noneMatchHits, pinnedVersion } from "../../core/etag";
import { setNextLink } from "../../core/paging";
import { ${P}Repository } from "./${names.kebabPlural}.repository";
import type { create, getById, list, patch, remove, replace } from "./${names.kebabPlural}.routes";

const repository = (c: { get(key: "db"): AppEnv["Variables"]["db"] }) => new ${P}Repository(c.get("db"));

/** \`If-Match\` naming another resource or a weak tag can never match: 412 without touching the database. */
function expectedVersion(header: string | undefined, id: string): number | undefined {
  const version = pinnedVersion(header, id);
  if (version === null) throw new ApiError("precondition_failed", "If-Match does not match the current version; nothing was changed.");
  return version;
}

export const list${names.pascalPlural}: RouteHandler<typeof list, AppEnv> = async (c) => {
  const query = c.req.valid("query");
  const page = await repository(c).list(query);
  setNextLink(c, query, page.nextCursor);
  return c.json(page, 200);
};

export const get${P}: RouteHandler<typeof getById, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const ${v} = await repository(c).getById(id);
  const etag = etagFor(${v}.id, ${v}.version);
  c.header("ETag", etag);
  if (noneMatchHits(c.req.header("if-none-match"), etag)) return c.body(null, 304);
  return c.json(${v}, 200);
};

export const create${P}: RouteHandler<typeof create, AppEnv> = async (c) => {
  const ${v} = await repository(c).create(c.req.valid("json"));
  c.header("ETag", etagFor(${v}.id, ${v}.version));
  c.header("Location", \`\${c.req.path.replace(/\\/$/, "")}/\${${v}.id}\`);
  return c.json(${v}, 201);
};

export const replace${P}: RouteHandler<typeof replace, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const ${v} = await repository(c).replace(id, c.req.valid("json"), expectedVersion(c.req.header("if-match"), id));
  c.header("ETag", etagFor(${v}.id, ${v}.version));
  return c.json(${v}, 200);
};

export const patch${P}: RouteHandler<typeof patch, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  const ${v} = await repository(c).patch(id, c.req.valid("json"), expectedVersion(c.req.header("if-match"), id));
  c.header("ETag", etagFor(${v}.id, ${v}.version));
  return c.json(${v}, 200);
};

export const remove${P}: RouteHandler<typeof remove, AppEnv> = async (c) => {
  const { id } = c.req.valid("param");
  await repository(c).remove(id, expectedVersion(c.req.header("if-match"), id), c.get("principal"));
  return c.body(null, 204);
};
`;
}

export function indexTemplate({ names }: Resource): string {
  const P = names.pascal;
  return `import { createRouter } from "../../core/router";
import { create${P}, get${P}, list${names.pascalPlural}, patch${P}, remove${P}, replace${P} } from "./${names.kebabPlural}.handlers";
import { create, getById, list, patch, remove, replace } from "./${names.kebabPlural}.routes";

export const ${names.camelPlural}Router = createRouter()
  .openapi(list, list${names.pascalPlural})
  .openapi(create, create${P})
  .openapi(getById, get${P})
  .openapi(replace, replace${P})
  .openapi(patch, patch${P})
  .openapi(remove, remove${P});
`;
}
