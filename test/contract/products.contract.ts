import { describe, expect, it } from "vitest";
import { BASE_URL, type ContractTarget, json, productInput, uniqueTag } from "./target";

interface ProductBody {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: string;
  sku: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

interface PageBody {
  data: ProductBody[];
  nextCursor: string | null;
}

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  code: string;
  requestId: string;
  errors?: { path: string; message: string; code: string }[];
}

const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function productsContract(target: ContractTarget) {
  const create = async (tag: string, overrides: Record<string, unknown> = {}) => {
    const response = await target.fetch("/api/v1/products", json(productInput(tag, overrides)));
    expect(response.status, await response.clone().text()).toBe(201);
    return { response, product: (await response.json()) as ProductBody };
  };
  const get = (id: string, headers: Record<string, string> = {}) => target.fetch(`/api/v1/products/${id}`, { headers });
  const problem = async (response: Response, status: number, code: string) => {
    expect(response.status).toBe(status);
    expect(response.headers.get("content-type")).toContain("application/problem+json");
    const body = (await response.json()) as ProblemBody;
    expect(body.code).toBe(code);
    expect(body.status).toBe(status);
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
    return body;
  };
  const listAll = async (query: string) => {
    const seen: ProductBody[] = [];
    let url: string | null = `/api/v1/products?${query}`;
    for (let pages = 0; url && pages < 100; pages++) {
      const response: Response = await target.fetch(url);
      expect(response.status).toBe(200);
      const page = (await response.json()) as PageBody;
      seen.push(...page.data);
      const link = response.headers.get("link");
      if (page.nextCursor) {
        expect(link).toMatch(/^<\/api\/v1\/products\?.*cursor=.*>; rel="next"$/);
        url = /^<([^>]+)>/.exec(link ?? "")?.[1] ?? null;
      } else {
        expect(link).toBeNull();
        url = null;
      }
    }
    return seen;
  };

  describe(`products (${target.runtime})`, () => {
    describe("create", () => {
      it("creates a product with defaults, Location and ETag", async () => {
        const tag = uniqueTag();
        const { response, product } = await create(tag, { name: `  Widget ${tag}  ` });
        expect(product).toMatchObject({
          name: `Widget ${tag}`,
          description: null,
          priceCents: 1000,
          currency: "USD",
          sku: `SKU-${tag}`,
          version: 1,
        });
        expect(product.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(product.createdAt).toMatch(RFC3339_MS);
        expect(product.updatedAt).toBe(product.createdAt);
        expect(response.headers.get("location")).toBe(`/api/v1/products/${product.id}`);
        expect(response.headers.get("etag")).toBe(`"${product.id}.1"`);
        const fetched = await get(product.id);
        expect(await fetched.json()).toEqual(product);
      });

      it("answers 409 conflict when the sku is taken, and keeps the first", async () => {
        const tag = uniqueTag();
        const { product } = await create(tag);
        const again = await target.fetch("/api/v1/products", json(productInput(tag, { name: "Other" })));
        const body = await problem(again, 409, "conflict");
        expect(body.errors?.[0]?.path).toBe("sku");
        expect(((await (await get(product.id)).json()) as ProductBody).name).toBe(`Widget ${tag}`);
      });

      it.each([
        ["empty name", { name: "   " }, "name"],
        ["name over 200", { name: "x".repeat(201) }, "name"],
        ["negative price", { priceCents: -1 }, "priceCents"],
        ["fractional price", { priceCents: 1.5 }, "priceCents"],
        ["price over int32", { priceCents: 2_147_483_648 }, "priceCents"],
        ["price as string", { priceCents: "10" }, "priceCents"],
        ["lower-case currency", { currency: "usd" }, "currency"],
        ["four-letter currency", { currency: "USDX" }, "currency"],
        ["sku with a space", { sku: "A B" }, "sku"],
        ["sku over 64", { sku: "A".repeat(65) }, "sku"],
        ["description over 5000", { description: "d".repeat(5001) }, "description"],
        ["NUL byte in name", { name: "a\u0000b" }, "name"],
        ["unknown field", { colour: "red" }, "colour"],
        ["server-owned id", { id: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f" }, "id"],
        ["server-owned version", { version: 7 }, "version"],
        ["server-owned createdAt", { createdAt: "2026-01-01T00:00:00.000Z" }, "createdAt"],
      ])("rejects %s with 422 and writes nothing", async (_, overrides, path) => {
        const tag = uniqueTag();
        const response = await target.fetch("/api/v1/products", json(productInput(tag, overrides)));
        const body = await problem(response, 422, "validation_failed");
        expect(body.errors?.map((error) => error.path)).toContain(path);
        const list = (await (await target.fetch(`/api/v1/products?q=${tag}`)).json()) as PageBody;
        expect(list.data).toHaveLength(0);
      });

      it("names server-owned fields as read-only", async () => {
        const response = await target.fetch("/api/v1/products", json(productInput(uniqueTag(), { updatedAt: "x" })));
        const body = await problem(response, 422, "validation_failed");
        expect(body.errors).toContainEqual(expect.objectContaining({ path: "updatedAt", code: "read_only" }));
      });

      it("rejects a body that is not an object or is missing required fields", async () => {
        await problem(await target.fetch("/api/v1/products", json([1, 2])), 422, "validation_failed");
        const missing = await problem(await target.fetch("/api/v1/products", json({})), 422, "validation_failed");
        expect(missing.errors?.map((error) => error.path).sort()).toEqual(["name", "priceCents", "sku"]);
      });
    });

    describe("get", () => {
      it("answers 304 to a matching If-None-Match and 200 otherwise", async () => {
        const { product, response } = await create(uniqueTag());
        const etag = response.headers.get("etag") ?? "";
        const notModified = await get(product.id, { "if-none-match": etag });
        expect(notModified.status).toBe(304);
        expect(notModified.headers.get("etag")).toBe(etag);
        expect(await notModified.text()).toBe("");
        expect((await get(product.id, { "if-none-match": `W/${etag}` })).status).toBe(304);
        expect((await get(product.id, { "if-none-match": `"other", ${etag}` })).status).toBe(304);
        expect((await get(product.id, { "if-none-match": "*" })).status).toBe(304);
        expect((await get(product.id, { "if-none-match": `"${product.id}.2"` })).status).toBe(200);
      });

      it("answers 404 for a well-formed unknown id and 422 for a malformed one", async () => {
        await problem(await get("01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f"), 404, "not_found");
        const body = await problem(await get("not-a-uuid"), 422, "validation_failed");
        expect(body.errors?.[0]?.path).toBe("id");
      });
    });

    describe("replace (PUT)", () => {
      it("replaces writable fields, resets omitted optional ones, bumps version", async () => {
        const tag = uniqueTag();
        const { product } = await create(tag, { description: "old", currency: "EUR" });
        const response = await target.fetch(
          `/api/v1/products/${product.id}`,
          json({ name: "Renamed", priceCents: 5, sku: `SKU-${tag}` }, "PUT"),
        );
        expect(response.status).toBe(200);
        const replaced = (await response.json()) as ProductBody;
        expect(replaced).toMatchObject({
          id: product.id,
          name: "Renamed",
          priceCents: 5,
          description: null,
          currency: "USD",
          version: 2,
          createdAt: product.createdAt,
        });
        expect(Date.parse(replaced.updatedAt)).toBeGreaterThanOrEqual(Date.parse(product.updatedAt));
        expect(response.headers.get("etag")).toBe(`"${product.id}.2"`);
      });

      it("requires every required field", async () => {
        const { product } = await create(uniqueTag());
        await problem(await target.fetch(`/api/v1/products/${product.id}`, json({ name: "x" }, "PUT")), 422, "validation_failed");
      });

      it("answers 404 for an unknown product and 409 for a taken sku", async () => {
        await problem(
          await target.fetch("/api/v1/products/01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f", json(productInput(uniqueTag()), "PUT")),
          404,
          "not_found",
        );
        const first = await create(uniqueTag());
        const second = await create(uniqueTag());
        await problem(
          await target.fetch(`/api/v1/products/${second.product.id}`, json(productInput("x", { sku: first.product.sku }), "PUT")),
          409,
          "conflict",
        );
      });
    });

    describe("patch (JSON merge patch)", () => {
      it("changes only present fields and clears description with null", async () => {
        const { product } = await create(uniqueTag(), { description: "keep?" });
        const response = await target.fetch(`/api/v1/products/${product.id}`, {
          method: "PATCH",
          headers: { "content-type": "application/merge-patch+json" },
          body: JSON.stringify({ priceCents: 42, description: null }),
        });
        expect(response.status).toBe(200);
        const patched = (await response.json()) as ProductBody;
        expect(patched).toMatchObject({ name: product.name, sku: product.sku, priceCents: 42, description: null, version: 2 });
      });

      it("accepts application/json, where an empty patch changes nothing (RFC 7396)", async () => {
        const { product } = await create(uniqueTag());
        const response = await target.fetch(`/api/v1/products/${product.id}`, json({}, "PATCH"));
        expect(response.status).toBe(200);
        expect(((await response.json()) as ProductBody).version).toBe(1);
      });

      it("rejects null for required fields and read-only fields", async () => {
        const { product } = await create(uniqueTag());
        await problem(await target.fetch(`/api/v1/products/${product.id}`, json({ name: null }, "PATCH")), 422, "validation_failed");
        await problem(await target.fetch(`/api/v1/products/${product.id}`, json({ version: 9 }, "PATCH")), 422, "validation_failed");
        expect(((await (await get(product.id)).json()) as ProductBody).version).toBe(1);
      });
    });

    describe("optimistic concurrency", () => {
      it("412 on a stale If-Match for PUT, PATCH and DELETE, and nothing changes", async () => {
        const { product } = await create(uniqueTag());
        const stale = `"${product.id}.1"`;
        const bumped = await target.fetch(`/api/v1/products/${product.id}`, json({ priceCents: 1 }, "PATCH", { "if-match": stale }));
        expect(bumped.status).toBe(200);
        await problem(
          await target.fetch(`/api/v1/products/${product.id}`, json({ priceCents: 2 }, "PATCH", { "if-match": stale })),
          412,
          "precondition_failed",
        );
        await problem(
          await target.fetch(`/api/v1/products/${product.id}`, json(productInput("z", { sku: product.sku }), "PUT", { "if-match": stale })),
          412,
          "precondition_failed",
        );
        await problem(
          await target.fetch(`/api/v1/products/${product.id}`, { method: "DELETE", headers: { "if-match": stale } }),
          412,
          "precondition_failed",
        );
        await problem(
          await target.fetch(`/api/v1/products/${product.id}`, json({ priceCents: 3 }, "PATCH", { "if-match": `W/"${product.id}.2"` })),
          412,
          "precondition_failed",
        );
        await problem(
          await target.fetch(`/api/v1/products/${product.id}`, json({ priceCents: 3 }, "PATCH", { "if-match": "garbage" })),
          412,
          "precondition_failed",
        );
        const current = (await (await get(product.id)).json()) as ProductBody;
        expect(current).toMatchObject({ version: 2, priceCents: 1 });
        const star = await target.fetch(`/api/v1/products/${product.id}`, json({ priceCents: 4 }, "PATCH", { "if-match": "*" }));
        expect(star.status).toBe(200);
      });

      it("If-Match on an unknown product is 404", async () => {
        const id = "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f";
        await problem(
          await target.fetch(`/api/v1/products/${id}`, json({ priceCents: 1 }, "PATCH", { "if-match": `"${id}.1"` })),
          404,
          "not_found",
        );
      });

      it("of writers racing with one ETag exactly one wins", async () => {
        const { product, response } = await create(uniqueTag());
        const etag = response.headers.get("etag") ?? "";
        const writers = 8;
        const results = await Promise.all(
          Array.from({ length: writers }, (_, index) =>
            target.fetch(`/api/v1/products/${product.id}`, json({ priceCents: 100 + index }, "PATCH", { "if-match": etag })),
          ),
        );
        const statuses = results.map((result) => result.status).sort();
        expect(statuses.filter((status) => status === 200)).toHaveLength(1);
        expect(statuses.filter((status) => status === 412)).toHaveLength(writers - 1);
        const winner = results.find((result) => result.status === 200);
        const won = (await winner?.json()) as ProductBody;
        const current = (await (await get(product.id)).json()) as ProductBody;
        expect(current).toMatchObject({ version: 2, priceCents: won.priceCents });
      });
    });

    describe("delete", () => {
      it("deletes with 204, then 404", async () => {
        const { product } = await create(uniqueTag());
        const first = await target.fetch(`/api/v1/products/${product.id}`, {
          method: "DELETE",
          headers: { "if-match": `"${product.id}.1"` },
        });
        expect(first.status).toBe(204);
        expect(await first.text()).toBe("");
        await problem(await get(product.id), 404, "not_found");
        await problem(await target.fetch(`/api/v1/products/${product.id}`, { method: "DELETE" }), 404, "not_found");
      });
    });

    describe("list", () => {
      it("pages with limit, nextCursor and Link until the end, in the default -createdAt order", async () => {
        const tag = uniqueTag();
        const created: ProductBody[] = [];
        for (let index = 0; index < 5; index++) created.push((await create(`${tag}-${index}`)).product);
        const seen = await listAll(`q=${tag}&limit=2`);
        expect(seen.map((product) => product.id)).toEqual(created.map((product) => product.id).reverse());
      });

      it.each([
        ["name", (a: ProductBody, b: ProductBody) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id)],
        ["-name", (a: ProductBody, b: ProductBody) => b.name.localeCompare(a.name) || b.id.localeCompare(a.id)],
        ["priceCents", (a: ProductBody, b: ProductBody) => a.priceCents - b.priceCents || a.id.localeCompare(b.id)],
        ["-priceCents", (a: ProductBody, b: ProductBody) => b.priceCents - a.priceCents || b.id.localeCompare(a.id)],
        ["createdAt", (a: ProductBody, b: ProductBody) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id)],
      ])("sorts by %s across pages, ties broken by id", async (sort, compare) => {
        const tag = uniqueTag();
        const prices = [300, 100, 200, 100, 300, 50];
        const names = ["delta", "alpha", "charlie", "alpha", "bravo", "echo"];
        const created: ProductBody[] = [];
        for (const [index, price] of prices.entries()) {
          created.push((await create(`${tag}-${index}`, { priceCents: price, name: `${names[index]} ${tag}` })).product);
        }
        const seen = await listAll(`q=${tag}&limit=4&sort=${sort}`);
        expect(seen.map((product) => product.id)).toEqual([...created].sort(compare).map((product) => product.id));
      });

      it("filters by q (name or sku, case-insensitive, wildcards literal), price range and currency", async () => {
        const tag = uniqueTag();
        const cheap = (await create(`${tag}-a`, { priceCents: 100, currency: "EUR", name: `Mug ${tag}` })).product;
        const middle = (await create(`${tag}-b`, { priceCents: 500, currency: "EUR" })).product;
        const dear = (await create(`${tag}-c`, { priceCents: 900, currency: "USD" })).product;
        const ids = async (query: string) => (await listAll(query)).map((product) => product.id).sort();
        expect(await ids(`q=${tag.toUpperCase()}`)).toEqual([cheap.id, middle.id, dear.id].sort());
        expect(await ids(`q=mug ${tag}`)).toEqual([cheap.id]);
        expect(await ids(`q=sku-${tag}-b`)).toEqual([middle.id]);
        expect(await ids(`q=${tag}&minPrice=500`)).toEqual([middle.id, dear.id].sort());
        expect(await ids(`q=${tag}&maxPrice=500`)).toEqual([cheap.id, middle.id].sort());
        expect(await ids(`q=${tag}&minPrice=100&maxPrice=100`)).toEqual([cheap.id]);
        expect(await ids(`q=${tag}&currency=EUR`)).toEqual([cheap.id, middle.id].sort());
        expect(await ids(`q=${tag}%25`)).toEqual([]);
        expect(await ids(`q=${tag.slice(0, 3)}_${tag.slice(4)}`)).toEqual([]);
      });

      it("defaults to 20 per page and caps limit at 100", async () => {
        const response = await target.fetch("/api/v1/products");
        expect(response.status).toBe(200);
        expect(((await response.json()) as PageBody).data.length).toBeLessThanOrEqual(20);
        for (const bad of ["0", "101", "-1", "abc", "1.5"]) {
          const body = await problem(await target.fetch(`/api/v1/products?limit=${bad}`), 422, "validation_failed");
          expect(body.errors?.[0]?.path).toBe("limit");
        }
      });

      it.each([
        ["sort=price", "sort"],
        ["minPrice=-1", "minPrice"],
        ["maxPrice=99999999999", "maxPrice"],
        ["minPrice=10&maxPrice=5", "minPrice"],
        ["currency=eur", "currency"],
        ["q=", "q"],
        ["cursor=%%%", "cursor"],
        ["cursor=bm90LWpzb24", "cursor"],
        ["cursor=eyJzIjoiLWNyZWF0ZWRBdCJ9", "cursor"],
      ])("rejects %s with 422", async (query, path) => {
        const body = await problem(await target.fetch(`/api/v1/products?${query}`), 422, "validation_failed");
        expect(body.errors?.map((error) => error.path)).toContain(path);
      });

      it("rejects a cursor used with another sort or other filters", async () => {
        const tag = uniqueTag();
        for (let index = 0; index < 3; index++) await create(`${tag}-${index}`);
        const first = (await (await target.fetch(`/api/v1/products?q=${tag}&limit=1`)).json()) as PageBody;
        expect(first.nextCursor).not.toBeNull();
        const cursor = encodeURIComponent(first.nextCursor ?? "");
        await problem(await target.fetch(`/api/v1/products?q=${tag}&limit=1&sort=name&cursor=${cursor}`), 422, "validation_failed");
        await problem(await target.fetch(`/api/v1/products?q=${tag}x&limit=1&cursor=${cursor}`), 422, "validation_failed");
        const ok = await target.fetch(`/api/v1/products?q=${tag}&limit=1&cursor=${cursor}`);
        expect(ok.status).toBe(200);
      });

      it("rejects a forged cursor whose key has the wrong type", async () => {
        const forged = btoa(
          JSON.stringify({ s: "-createdAt", f: JSON.stringify([null, null, null, null]), k: 5, i: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f" }),
        ).replace(/=+$/, "");
        await problem(await target.fetch(`/api/v1/products?cursor=${forged}`), 422, "validation_failed");
        const badDate = btoa(
          JSON.stringify({
            s: "-createdAt",
            f: JSON.stringify([null, null, null, null]),
            k: "2026-99-99T00:00:00.000Z",
            i: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f",
          }),
        ).replace(/=+$/, "");
        await problem(await target.fetch(`/api/v1/products?cursor=${badDate}`), 422, "validation_failed");
      });

      it("neither skips nor repeats a row while rows are inserted and deleted during the walk", { timeout: 30_000 }, async () => {
        for (const sort of ["-createdAt", "priceCents", "name"]) {
          const tag = uniqueTag();
          const original = await Promise.all(
            Array.from({ length: 9 }, async (_, index) => (await create(`${tag}-o${index}`, { priceCents: (index + 1) * 10 })).product.id),
          );
          const seen: string[] = [];
          const behind: string[] = [];
          let cursor: string | null = null;
          let round = 0;
          do {
            const query: string = `q=${tag}-o&limit=2&sort=${sort}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`;
            const page = (await (await target.fetch(`/api/v1/products?${query}`)).json()) as PageBody;
            // Offset paging fails here at once: the rows inserted behind the walk's position shift every later row.
            for (const product of page.data) {
              expect(seen, `${sort}: ${product.id} shown twice (page ${round + 1})`).not.toContain(product.id);
            }
            seen.push(...page.data.map((product) => product.id));
            cursor = page.nextCursor;
            // Other writers meanwhile: a row that sorts behind the position (newest; price 0; a name before all
            // others, each smaller than the last) and one at the far end (price and name after all others), so the
            // walk gains at most one row per page and ends. Every other round two of the rows behind are deleted,
            // which makes offset paging skip a row.
            const [before] = await Promise.all([
              create(`${tag}-o-a${round}`, { priceCents: 0, name: `A${String(999 - round).padStart(3, "0")} ${tag}` }),
              create(`${tag}-o-z${round}`, { priceCents: 1000 + round, name: `zz${String(round).padStart(3, "0")} ${tag}` }),
            ]);
            behind.push(before.product.id);
            if (round % 2 === 1) {
              for (const id of behind.splice(0, 2))
                expect((await target.fetch(`/api/v1/products/${id}`, { method: "DELETE" })).status).toBe(204);
            }
            round++;
          } while (cursor && round < 40);
          expect(cursor, `${sort}: the walk did not end within 40 pages`).toBeNull();
          expect(seen.filter((id) => original.includes(id)).sort(), `${sort}: a row was skipped`).toEqual([...original].sort());
        }
      });
    });

    describe("typed client", () => {
      it("creates, reads and patches through the hc client", async () => {
        const tag = uniqueTag();
        const created = await target.client.api.v1.products.$post({
          header: {},
          json: { name: `Typed ${tag}`, priceCents: 250, sku: `TY-${tag}` },
        });
        expect(created.status).toBe(201);
        if (created.status !== 201) return;
        const product = await created.json();
        const fetched = await target.client.api.v1.products[":id"].$get({ param: { id: product.id } });
        expect(fetched.status).toBe(200);
        if (fetched.status !== 200) return;
        expect((await fetched.json()).sku).toBe(`TY-${tag}`);
        // Conditional headers are documented parameters, not schema inputs: they go with the request options.
        const patched = await target.client.api.v1.products[":id"].$patch(
          { param: { id: product.id }, json: { priceCents: 300 } },
          { headers: { "if-match": fetched.headers.get("etag") ?? "" } },
        );
        expect(patched.status).toBe(200);
        const page = await target.client.api.v1.products.$get({ query: { q: tag } });
        expect(page.status).toBe(200);
        if (page.status !== 200) return;
        expect((await page.json()).data.map((item) => item.priceCents)).toEqual([300]);
      });
    });
  });
}

export { BASE_URL };
