import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import type { Env, Hono, Schema } from "hono";
import { createMiddleware } from "hono/factory";

// Node only (Workers serve ./public through wrangler.toml [assets] and public/_headers).
// Resolved from this file, not the working directory: the nearest public/ above it, which is the
// checkout's for src/node/ and the image's for the bundled dist/server.js.
const PUBLIC_DIR = nearestPublicDir(path.dirname(fileURLToPath(import.meta.url)));

function nearestPublicDir(from: string): string {
  for (let dir = from, up = 0; up < 3; up++, dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, "public"))) return `${path.join(dir, "public")}/`;
  }
  throw new Error(`no public/ folder above ${from}: run npm run docs:assets in a checkout, or copy public/ next to dist/`);
}

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
