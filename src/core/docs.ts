import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Config } from "../config";
import type { AppEnv } from "./context";

/** Serves the OpenAPI 3.1 document generated from the routes. */
export function registerDocs(app: OpenAPIHono<AppEnv>, config: Config): void {
  app.doc31("/openapi.json", {
    openapi: "3.1.0",
    info: {
      title: "Product Service",
      version: config.BUILD_VERSION,
      description: "Products API. Errors are RFC 9457 problem+json (`application/problem+json`) with a machine `code` and the `requestId`.",
    },
    tags: [
      { name: "Products", description: "Create, read, update and delete products." },
      { name: "Operations", description: "Health and readiness." },
    ],
  });
}
