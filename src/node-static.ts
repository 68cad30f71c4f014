import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Env, Hono, Schema } from "hono";
import { createMiddleware } from "hono/factory";

// Node only (Workers serve ./public through wrangler.toml [assets] and public/_headers).
// Resolved from this file, not the working directory: src/ and a bundled dist/ both sit next to public/.
const PUBLIC_DIR = fileURLToPath(new URL("../public/", import.meta.url));

// Only names with an extension: /docs itself (and /docs/) stay with the app's routes,
// and a directory is never answered with an index file.
// What Workers static assets send when _headers sets nothing.
const DEFAULT_CACHE = "public, max-age=0, must-revalidate";

const ASSET_PATH = /^\/(?:vendor|docs)\/(?:[\w.-]+\/)*[\w.-]+\.[A-Za-z0-9]+$/;

/** Serves the files under ./public/vendor and ./public/docs with the headers public/_headers gives them on Workers. */
export function withStaticAssets<E extends Env, S extends Schema, B extends string>(app: Hono<E, S, B>, root = PUBLIC_DIR): Hono<E, S, B> {
  const files = serveStatic<E>({ root });
  const assets = createMiddleware<E>(async (c, next) => {
    if (!ASSET_PATH.test(c.req.path)) return next();
    const response = await files(c, next);
    // Only on a file's own response (a miss resolves to whatever next() gave), never on the app's 404.
    if (response instanceof Response) {
      response.headers.set("X-Content-Type-Options", "nosniff");
      // /vendor URLs carry ?v=<version> (see DOCS_ASSET_VERSIONS); /docs/*.js do not and must be revalidated.
      response.headers.set("Cache-Control", c.req.path.startsWith("/vendor/") ? "public, max-age=31536000, immutable" : DEFAULT_CACHE);
    }
    return response;
  });
  app.use("/vendor/*", assets);
  app.use("/docs/*", assets);
  return app;
}
