import { beforeAll, describe, expect, it } from "vitest";
import { copyDocsAssets } from "../../scripts/copy-docs-assets";
import { createApp } from "../../src/app";
import { loadConfig } from "../../src/config";
import { REDOC_CSP, SWAGGER_UI_CSP } from "../../src/core/docs";
import { withStaticAssets } from "../../src/node/static-assets";
import { BASE_URL } from "../contract/target";

// The docs need no database: the app as the Node entry builds it, plus the static files.
const app = withStaticAssets(createApp({ config: loadConfig({ ENVIRONMENT: "test", LOG_LEVEL: "silent" }) }));
const get = (path: string) => Promise.resolve(app.fetch(new Request(new URL(path, BASE_URL))));

const CONTENT_TYPES: Record<string, RegExp> = {
  js: /^text\/javascript|^application\/javascript/,
  css: /^text\/css/,
  png: /^image\/png$/,
};

/** Every src and href in the page. */
function references(html: string): string[] {
  return [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((match) => match[1] ?? "");
}

beforeAll(async () => {
  // Idempotent and fast; keeps this test independent of whether the npm pre-script ran.
  await copyDocsAssets();
});

describe.each([
  { path: "/docs", csp: SWAGGER_UI_CSP, marker: '<div id="swagger-ui" data-spec-url="/openapi.json">' },
  { path: "/redoc", csp: REDOC_CSP, marker: '<redoc spec-url="/openapi.json">' },
])("$path", ({ path, csp, marker }) => {
  it("is an HTML page with its own strict CSP and no inline code", async () => {
    const response = await get(path);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toBe(csp);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/'unsafe-eval'|script-src[^;]*'unsafe-inline'|https?:|\*/);
    const html = await response.text();
    expect(html).toContain(marker);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline <script>
    expect(html).not.toMatch(/\son[a-z]+=/i); // no inline event handlers
    expect(html).not.toMatch(/<style|\sstyle=/i);
  });

  it("references only same-origin assets, each served with the right content type", async () => {
    const html = await (await get(path)).text();
    const urls = references(html);
    expect(urls.length).toBeGreaterThan(0);
    for (const url of urls) {
      expect(url, url).toMatch(/^\/(?!\/)/);
      const response = await get(url);
      expect(response.status, url).toBe(200);
      const extension = new URL(url, BASE_URL).pathname.split(".").pop() ?? "";
      expect(response.headers.get("content-type"), url).toMatch(CONTENT_TYPES[extension] ?? /^$/);
      expect(response.headers.get("x-content-type-options"), url).toBe("nosniff");
      expect(response.headers.get("cache-control"), url).toBe(
        url.startsWith("/vendor/") ? "public, max-age=31536000, immutable" : "public, max-age=0, must-revalidate",
      );
      expect((await response.arrayBuffer()).byteLength, url).toBeGreaterThan(0);
    }
  });
});

describe("docs routes", () => {
  it("are not operations of the OpenAPI document", async () => {
    const document = (await (await get("/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).not.toContain("/docs");
    expect(Object.keys(document.paths)).not.toContain("/redoc");
  });

  it("serve files only: folders, hidden paths and unknown files stay 404 problems", async () => {
    for (const path of [
      "/docs/",
      "/vendor/",
      "/vendor/redoc",
      "/docs/../package.json",
      "/vendor/%2e%2e/package.json",
      "/docs/missing.js",
    ]) {
      const response = await get(path);
      expect(response.status, path).toBe(404);
      expect(response.headers.get("content-type"), path).toMatch(/^application\/problem\+json/);
    }
  });

  it("the ReDoc bundle loads nothing from Redocly's CDN", async () => {
    const bundle = await (await get("/vendor/redoc/redoc.standalone.js")).text();
    expect(bundle).not.toContain("cdn.redoc.ly");
  });
});
