import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signAccessToken } from "../../src/core/auth/jwt";
import type { Role } from "../../src/core/auth/roles";
import {
  BODY_LIMIT,
  b64urlJson,
  build,
  type CursorSample,
  concat,
  excerpt,
  type Fixtures,
  FuzzRequest,
  type Generators,
  hostileBodyRequest,
  hostileLocatorRequest,
  isList,
  isToken,
  listQueryRequest,
  mutatedRequest,
  oddHeaderRequest,
  sizedBody,
  validRequest,
  withBody,
} from "./fuzz-requests";
import {
  emailArbitrary,
  type Json,
  type JsonObject,
  type OpenApiDocument,
  type Operation,
  operationsOf,
  type SchemaContext,
} from "./fuzz-schema";
import { documentValidRequests } from "./fuzz-valid";
import { type ContractTarget, testJwtSettings, uniqueTag } from "./target";

/**
 * Hostile input, property-based: requests generated from the service's own
 * OpenAPI document (every operation, its parameters and body schemas) and from
 * mutations of them. For every request: no 5xx; every error is problem+json
 * whose `status` is the HTTP status and which has a `code`; and, where the
 * target can fingerprint its database, a rejected (4xx) request wrote nothing.
 */

/** A cheap fingerprint of each table a request could write. */
export interface DatabaseFingerprint {
  products: string;
  users: string;
  idempotencyKeys: string;
}

export interface FuzzTarget extends ContractTarget {
  /**
   * Fingerprints the database the service writes to. Only where nothing but
   * this suite writes there (Node: the run's own database); absent in workerd.
   */
  snapshot?: () => Promise<DatabaseFingerprint>;
}

export interface FuzzSettings {
  seed: number;
  /** Runs per property. */
  runs: number;
}

const DEFAULT_SEED = 20_261_124;

/** `FUZZ_SEED` and `FUZZ_RUNS` when set; otherwise the fixed CI seed and `runs`. */
export function fuzzSettings(env: Record<string, unknown>, runs: number): FuzzSettings {
  const number = (value: unknown) => (typeof value === "string" && /^-?\d+$/.test(value.trim()) ? Number(value) : undefined);
  return { seed: number(env.FUZZ_SEED) ?? DEFAULT_SEED, runs: Math.max(1, number(env.FUZZ_RUNS) ?? runs) };
}

async function forgedTokens(): Promise<string[]> {
  const now = Date.now();
  const sign = async (claims: { sub: string; role: Role; email?: string }, settings = testJwtSettings, at = now) =>
    (await signAccessToken(settings, { authVersion: 1, ...claims }, at)).token;
  const good = await sign({ sub: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f", role: "admin" });
  const [header = "", payload = "", signature = ""] = good.split(".");
  const claims = JSON.parse(atob(payload.replaceAll("-", "+").replaceAll("_", "/"))) as JsonObject;
  return [
    `${b64urlJson({ alg: "none", typ: "JWT" })}.${payload}.`,
    `${b64urlJson({ alg: "HS512", typ: "JWT" })}.${payload}.${signature}`,
    `${b64urlJson({ alg: "RS256", typ: "JWT", kid: "x" })}.${payload}.${signature}`,
    `${header}.${b64urlJson({ ...claims, role: "superuser" })}.${signature}`,
    `${header}.${payload}.${signature.slice(0, -2)}AA`,
    `${header}.${payload}`,
    `${header}..${signature}`,
    `${header}.${b64urlJson("not an object")}.${signature}`,
    `${b64urlJson([1, 2])}.${payload}.${signature}`,
    await sign({ sub: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f", role: "admin" }, testJwtSettings, now - 7_200_000),
    await sign({ sub: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f", role: "admin" }, { ...testJwtSettings, audience: "someone-else" }),
    await sign({ sub: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f", role: "admin" }, { ...testJwtSettings, secret: "x".repeat(40) }),
    // Validly signed, odd subjects: a user that does not exist, or an id that is no UUID at all.
    await sign({ sub: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f", role: "viewer" }),
    await sign({ sub: "not-a-uuid", role: "admin" }),
    await sign({ sub: "x".repeat(2000), role: "editor", email: "\u0000@example.com" }),
  ];
}

async function prepare(target: ContractTarget, tag: string): Promise<Fixtures> {
  const products: Fixtures["products"] = [];
  for (let index = 0; index < 3; index++) {
    const response = await target.fetch("/api/v1/products", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: `Fuzz ${tag} ${index}`, priceCents: 100 * index, sku: `FUZZ-${tag}-${index}` }),
    });
    expect(response.status).toBe(201);
    const product = (await response.json()) as { id: string };
    products.push({ id: product.id, etag: response.headers.get("etag") ?? "" });
  }
  const user = await target.fetch("/api/v1/users", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: `fuzz.${tag}@fuzz.test`, password: `fuzz password ${tag}`, role: "viewer" }),
  });
  expect(user.status).toBe(201);
  const userId = ((await user.json()) as { id: string }).id;

  const cursors: CursorSample[] = [];
  const queries: [list: string, query: string][] = [
    ...["createdAt", "-createdAt", "name", "-name", "priceCents", "-priceCents"].flatMap((sort): [string, string][] => [
      ["/api/v1/products", `limit=1&sort=${sort}&q=${tag}`],
      ["/api/v1/products", `limit=1&sort=${sort}&minPrice=0&maxPrice=1000`],
    ]),
    ...["createdAt", "-createdAt", "email", "-email"].map((sort): [string, string] => ["/api/v1/users", `limit=1&sort=${sort}`]),
  ];
  for (const [list, query] of queries) {
    const page = (await (await target.fetch(`${list}?${query}`)).json()) as { nextCursor: string | null };
    if (!page.nextCursor) continue;
    const text = new TextDecoder().decode(
      Uint8Array.from(atob(page.nextCursor.replaceAll("-", "+").replaceAll("_", "/")), (char) => char.charCodeAt(0)),
    );
    cursors.push({ list, query, cursor: page.nextCursor, payload: JSON.parse(text) as JsonObject });
  }
  expect(cursors.length).toBeGreaterThan(0);
  return { tag, products, userId, cursors, tokens: await forgedTokens() };
}

// ---------------------------------------------------------------------------
// The properties.

interface Exchange {
  status: number;
  contentType: string | null;
  text: string;
}

class PropertyFailure extends Error {
  override name = "PropertyFailure";
}

const changed = (before: DatabaseFingerprint, after: DatabaseFingerprint, tables: (keyof DatabaseFingerprint)[]) =>
  tables.filter((table) => before[table] !== after[table]).map((table) => `${table}: ${before[table]} → ${after[table]}`);

export function fuzzContract(target: FuzzTarget, settings: FuzzSettings) {
  describe(`hostile input, property-based (${target.runtime}, seed ${settings.seed}, ${settings.runs} runs per property)`, () => {
    let g: Generators;
    const createdProducts = new Set<string>();
    // Generous: a run's requests are sequential, and workerd opens a database connection per request.
    const perRequestMs = target.runtime === "workers" ? 400 : 80;
    const timeout = 30_000 + settings.runs * perRequestMs;

    beforeAll(async () => {
      const tag = uniqueTag();
      const response = await target.fetch("/openapi.json");
      const document = (await response.json()) as OpenApiDocument;
      const fixtures = await prepare(target, tag);
      for (const product of fixtures.products) createdProducts.add(product.id);
      // Users a run creates carry its tag in their e-mail (they are never deleted).
      const context: SchemaContext = { document, hints: { email: emailArbitrary(tag) } };
      g = { operations: operationsOf(document), asciiHeaders: target.runtime === "workers", fixtures, context };
    }, 60_000);

    afterAll(async () => {
      // Only products this run created; users are left (tagged), never deleted.
      for (const id of createdProducts)
        await target.fetch(`/api/v1/products/${id}`, { method: "DELETE" }).then((response) => response.body?.cancel());
    }, 60_000);

    /** Sends one request and checks every property; throws a PropertyFailure that names what broke. */
    async function check(request: FuzzRequest): Promise<Exchange> {
      const before = await target.snapshot?.();
      const init: RequestInit = { method: request.method, headers: request.headers };
      if (request.body !== undefined) init.body = request.body;
      let exchange: Exchange;
      try {
        const response = await target.as(request.who)(request.url, init);
        exchange = { status: response.status, contentType: response.headers.get("content-type"), text: await response.text() };
      } catch (error) {
        throw new PropertyFailure(`the request threw instead of answering: ${String(error)}`);
      }
      const { status, contentType, text } = exchange;
      const said = `answered ${status} ${contentType ?? "(no content-type)"}: ${excerpt(text, 300)}`;
      if (status >= 500) throw new PropertyFailure(`5xx: ${said}`);
      if (status >= 400) {
        if (contentType !== "application/problem+json") throw new PropertyFailure(`error without problem+json: ${said}`);
        if (request.method !== "HEAD") {
          let problem: unknown;
          try {
            problem = JSON.parse(text);
          } catch {
            throw new PropertyFailure(`problem body is not JSON: ${said}`);
          }
          const { status: inBody, code } = (problem ?? {}) as { status?: unknown; code?: unknown };
          if (inBody !== status) throw new PropertyFailure(`problem status ${String(inBody)} is not the HTTP status: ${said}`);
          if (typeof code !== "string" || code === "") throw new PropertyFailure(`problem without a code: ${said}`);
        }
      }
      if (status === 201 && request.url.startsWith("/api/v1/products")) {
        const id = (JSON.parse(text) as { id?: unknown }).id;
        if (typeof id === "string") createdProducts.add(id);
      }
      if (before && target.snapshot && status >= 400) {
        const after = await target.snapshot();
        // A 409 under an Idempotency-Key is stored so that retries get it again: the one write a rejection may make.
        const keyed = status === 409 && request.headers["idempotency-key"] !== undefined;
        const diff = changed(before, after, keyed ? ["products", "users"] : ["products", "users", "idempotencyKeys"]);
        if (diff.length > 0) throw new PropertyFailure(`a rejected request wrote to the database (${diff.join("; ")}): ${said}`);
      }
      return exchange;
    }

    async function checkAll(requests: FuzzRequest[]): Promise<void> {
      for (const request of requests) {
        try {
          await check(request);
        } catch (error) {
          throw new Error(`${String(error)}\n${request.toString()}`);
        }
      }
    }

    const property = (
      make: (operation: Operation) => fc.Arbitrary<FuzzRequest>,
      filter: (operation: Operation) => boolean = () => true,
      seen: number[] = [],
    ) =>
      fc.asyncProperty(
        fc.constantFrom(...g.operations.filter(filter)).chain((operation) => make(operation)),
        async (request) => {
          seen.push((await check(request)).status);
        },
      );

    const assertProperty = async (run: fc.IAsyncPropertyWithHooks<[FuzzRequest]>) => {
      await fc.assert(run, { seed: settings.seed, numRuns: settings.runs });
      // Whatever it was sent, the service is still up.
      expect((await target.fetch("/health")).status).toBe(200);
    };

    it("enumerates every operation of the document", () => {
      const ids = g.operations.map((operation) => operation.id);
      expect(ids).toEqual(
        expect.arrayContaining(["createProduct", "listProducts", "patchProduct", "issueToken", "createUser", "deleteUser"]),
      );
      expect(g.operations.filter(withBody).map((operation) => operation.id)).toEqual(
        expect.arrayContaining(["createProduct", "createUser", "issueToken", "patchProduct", "patchUser", "replaceProduct"]),
      );
    });

    // Only where the target can fingerprint the database (Node); nothing is skipped elsewhere.
    if (target.snapshot)
      it("the database fingerprint sees a write", async () => {
        const before = await target.snapshot?.();
        const response = await target.fetch("/api/v1/products", {
          method: "POST",
          headers: { "content-type": "application/json", "idempotency-key": `fuzz-${g.fixtures.tag}` },
          body: JSON.stringify({ name: "Fuzz fingerprint", priceCents: 1, sku: `FUZZ-${g.fixtures.tag}-fp` }),
        });
        expect(response.status).toBe(201);
        createdProducts.add(((await response.json()) as { id: string }).id);
        const after = await target.snapshot?.();
        expect(after?.products).not.toBe(before?.products);
        expect(after?.idempotencyKeys).not.toBe(before?.idempotencyKeys);
      });

    it(
      "valid-looking requests from the schemas",
      async () => {
        const statuses: number[] = [];
        await assertProperty(property((operation) => validRequest(g, operation), undefined, statuses));
        // The generator is worth its name only if much of what it makes is accepted.
        expect(statuses.filter((status) => status < 400).length).toBeGreaterThan(statuses.length / 10);
      },
      timeout,
    );

    it(
      "requests valid by the document are never refused as invalid (no 422)",
      async () => {
        const validByDocument = documentValidRequests(g.context);
        const statuses: number[] = [];
        await assertProperty(
          fc.asyncProperty(
            fc.constantFrom(...g.operations).chain((operation) => validByDocument(g, operation)),
            async (request) => {
              const { status, text } = await check(request);
              statuses.push(status);
              if (status === 422) throw new PropertyFailure(`422 for a request the document allows: ${excerpt(text, 400)}`);
            },
          ),
        );
        // Valid requests mostly succeed; the rest meet missing ids, taken keys and wrong passwords.
        expect(statuses.filter((status) => status < 400).length).toBeGreaterThan(statuses.length / 4);
      },
      timeout,
    );

    it(
      "mutated bodies: wrong types, missing and extra fields, boundary numbers, control characters, huge strings",
      () => assertProperty(property((operation) => mutatedRequest(g, operation), withBody)),
      timeout,
    );

    it(
      "raw bodies: invalid UTF-8, deep nesting, junk, odd content types",
      () =>
        assertProperty(
          property(
            (operation) => hostileBodyRequest(g, operation),
            (operation) => operation.method !== "GET",
          ),
        ),
      timeout,
    );

    it(
      "odd headers: Authorization, Idempotency-Key, If-Match, If-None-Match, Content-Type, request ids",
      () => assertProperty(property((operation) => oddHeaderRequest(g, operation))),
      timeout,
    );

    it(
      "forged cursors and odd query strings on the list operations",
      () => assertProperty(property((operation) => listQueryRequest(g, operation), isList)),
      timeout,
    );

    it(
      "hostile ids, query strings, wrong methods and paths",
      () => assertProperty(property((operation) => hostileLocatorRequest(g, operation))),
      timeout,
    );

    it("edge cases on every body operation: 10k-deep nesting, the body limit and one byte over", async () => {
      for (const operation of g.operations.filter(withBody)) {
        const [{ mediaType } = { mediaType: "application/json" }] = operation.bodies;
        const base = build(g, operation, {
          who: "admin",
          id: operation.template.includes("{") ? (g.fixtures.products[0]?.id ?? "") : "",
          query: "",
          headers: {},
          body: undefined,
          address: "edge",
        }).with({
          headers: { "content-type": mediaType, ...(isToken(operation) ? { "cf-connecting-ip": `fuzz-${g.fixtures.tag}` } : {}) },
        });
        const field = isToken(operation) ? "username" : operation.id.includes("User") ? "password" : "name";
        const cases = [
          base.with({ body: `${"[".repeat(10_000)}${"]".repeat(10_000)}` }, "10k arrays"),
          base.with({ body: `${'{"a":'.repeat(10_000)}1${"}".repeat(10_000)}` }, "10k objects"),
          base.with({ body: sizedBody(mediaType, {}, field, BODY_LIMIT, "x") }, "exactly the limit"),
          base.with({ body: sizedBody(mediaType, {}, field, BODY_LIMIT + 1, "x") }, "one byte over"),
          base.with(
            {
              body: concat(
                new TextEncoder().encode(`{"${field}":"`),
                Uint8Array.from([0xff, 0xc0, 0xed, 0xa0, 0x80]),
                new TextEncoder().encode('"}'),
              ),
            },
            "invalid utf-8",
          ),
        ];
        await checkAll(cases);
      }
    });

    it("the counterexamples the fuzzer found stay fixed", async () => {
      const [product] = g.fixtures.products;
      const id = product?.id ?? "";
      const cursorFor = (list: string, sort: string, k: Json) => {
        const sample = g.fixtures.cursors.find((candidate) => candidate.list === list && candidate.payload.s === sort);
        if (!sample) throw new Error(`no cursor for sort=${sort}`);
        return `${sample.list}?${sample.query}&cursor=${b64urlJson({ ...sample.payload, k })}`;
      };
      const request = (operation: string, method: string, url: string, headers: Record<string, string> = {}, body?: string) =>
        new FuzzRequest(operation, method, url, "admin", headers, body);
      const notAUuid = (await signAccessToken(testJwtSettings, { sub: "not-a-uuid", role: "viewer", authVersion: 1 })).token;
      await checkAll([
        // If-Match naming a version past Postgres' integer: 22003 in the UPDATE/DELETE.
        request(
          "patchProduct",
          "PATCH",
          `/api/v1/products/${id}`,
          { "content-type": "application/json", "if-match": `"${id}.9999999999"` },
          "{}",
        ),
        request("deleteProduct", "DELETE", `/api/v1/products/${id}`, { "if-match": `"${id}.2147483648"` }),
        // Cursor keys past the column's type: 22003 for integers; Feb 30 and year 0 (22008) for timestamps.
        request("listProducts", "GET", cursorFor("/api/v1/products", "priceCents", 2_147_483_648)),
        request("listProducts", "GET", cursorFor("/api/v1/products", "-priceCents", 1e20)),
        request("listProducts", "GET", cursorFor("/api/v1/products", "createdAt", "2026-02-30T00:00:00.000Z")),
        request("listUsers", "GET", cursorFor("/api/v1/users", "-createdAt", "0000-01-01T00:00:00.000Z")),
        // NUL in a login name: 22021 in the lookup.
        request(
          "issueToken",
          "POST",
          "/api/v1/auth/token",
          { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": `fuzz-${g.fixtures.tag}-nul` },
          "username=a%00b&password=x",
        ),
        // A validly signed token whose subject is no UUID: 22P02 in GET /users/me.
        request("getCurrentUser", "GET", "/api/v1/users/me", { authorization: `Bearer ${notAUuid}` }),
      ]);
    });
  });
}
