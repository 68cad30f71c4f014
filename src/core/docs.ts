import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Config } from "../config";
import type { AppEnv } from "./context";

/**
 * Versions of the vendored UI bundles under /vendor (copied from node_modules by
 * scripts/copy-docs-assets.ts, which refuses to run when these disagree with the
 * installed packages). They go into the asset URLs so /vendor can be cached as immutable.
 */
export const DOCS_ASSET_VERSIONS = { "swagger-ui-dist": "5.35.0", redoc: "2.5.4" } as const;

const SPEC_URL = "/openapi.json";
const swaggerVersion = DOCS_ASSET_VERSIONS["swagger-ui-dist"];
const redocVersion = DOCS_ASSET_VERSIONS.redoc;

// Shared by both pages: only our own scripts, no inline script, no eval, nothing third-party.
const BASE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
];

/** Swagger UI: its stylesheet and data: icons; "Try it out" calls the API on the same origin. */
export const SWAGGER_UI_CSP = [...BASE_POLICY, "style-src 'self'"].join("; ");

/**
 * ReDoc: styled-components injects <style> elements at run time (hence 'unsafe-inline' for
 * styles only), and its search index runs in a Worker created from a blob: URL.
 */
export const REDOC_CSP = [...BASE_POLICY, "style-src 'self' 'unsafe-inline'", "worker-src blob:"].join("; ");

const page = (title: string, head: string[], body: string) =>
  [
    "<!doctype html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${title}</title>`,
    `<link rel="icon" type="image/png" href="/vendor/swagger-ui/favicon-32x32.png?v=${swaggerVersion}">`,
    ...head,
    "</head>",
    `<body>${body}</body>`,
    "</html>",
    "",
  ].join("\n");

const SWAGGER_UI_PAGE = page(
  "Product Service API (Swagger UI)",
  [
    `<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css?v=${swaggerVersion}">`,
    `<script defer src="/vendor/swagger-ui/swagger-ui-bundle.js?v=${swaggerVersion}"></script>`,
    // Committed and unversioned: revalidated on every load.
    '<script defer src="/docs/swagger-init.js"></script>',
  ],
  `<div id="swagger-ui" data-spec-url="${SPEC_URL}"></div>`,
);

// ReDoc's standalone bundle renders any <redoc spec-url> element by itself: no init script needed.
const REDOC_PAGE = page(
  "Product Service API (ReDoc)",
  ['<link rel="stylesheet" href="/docs/redoc.css">', `<script defer src="/vendor/redoc/redoc.standalone.js?v=${redocVersion}"></script>`],
  `<redoc spec-url="${SPEC_URL}"></redoc>`,
);

/** Tags and what they group; a generated resource's tag gets the generator's sentence (`documentTags`). */
const TAGS = [
  { name: "Authentication", description: "OAuth2 tokens: log in (password grant), refresh, revoke." },
  { name: "Users", description: "Who may call the API, with which role; your own account (`/users/me`)." },
  { name: "Products", description: "Create, read, update and delete products." },
  { name: "Operations", description: "Health and readiness." },
  { name: "Problems", description: "What each problem `type` means: where the `type` of every error answer leads." },
];

/** Every tag an operation uses, declared once with a description (operations name tags; the document must declare them). */
function documentTags(app: OpenAPIHono<AppEnv>) {
  const used = new Set(
    app.openAPIRegistry.definitions.flatMap((definition) => (definition.type === "route" ? (definition.route.tags ?? []) : [])),
  );
  const declared = TAGS.filter((tag) => used.has(tag.name));
  const generated = [...used]
    .filter((name) => !TAGS.some((tag) => tag.name === name))
    .map((name) => ({ name, description: `Create, read, update and delete ${name.toLowerCase()}.` }));
  return [...declared, ...generated];
}

/** The OpenAPI 3.1 document of everything `app` serves, as `GET /openapi.json` answers it. */
export function openApiDocument(app: OpenAPIHono<AppEnv>, config: Config) {
  return app.getOpenAPI31Document({
    openapi: "3.1.0",
    info: {
      title: "Product Service",
      version: config.BUILD_VERSION,
      description: "Products API. Errors are RFC 9457 problem+json (`application/problem+json`) with a machine `code` and the `requestId`.",
      license: { name: "MIT", url: "https://opensource.org/license/mit" },
    },
    // Relative: the API is where this document is served from.
    servers: [{ url: "/" }],
    tags: documentTags(app),
  });
}

/** Serves the OpenAPI 3.1 document generated from the routes, and the Swagger UI and ReDoc pages that read it. */
export function registerDocs(app: OpenAPIHono<AppEnv>, config: Config): void {
  // Built on first request, when every route is registered, and kept: the routes never change afterwards.
  let document: ReturnType<typeof openApiDocument> | undefined;
  app.get(SPEC_URL, (c) => {
    document ??= openApiDocument(app, config);
    return c.json(document);
  });

  // Plain routes, not openapi(): the UIs are not part of the API they document.
  // no-cache: the pages name the versioned asset URLs, so they must follow each deploy.
  app.get("/docs", (c) => c.html(SWAGGER_UI_PAGE, 200, { "Content-Security-Policy": SWAGGER_UI_CSP, "Cache-Control": "no-cache" }));
  app.get("/redoc", (c) => c.html(REDOC_PAGE, 200, { "Content-Security-Policy": REDOC_CSP, "Cache-Control": "no-cache" }));
}
