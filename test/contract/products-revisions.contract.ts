import { describe, expect, it } from "vitest";
import { type ContractTarget, json, productInput, uniqueTag } from "./target";

interface ProductBody {
  id: string;
  name: string;
  description: string | null;
  priceCents: number;
  currency: string;
  sku: string;
  version: number;
  updatedAt: string;
}

/** Products' versions, ETags, caching and paging links, as issue 15 asks of every resource. */
export function productsRevisionsContract(target: ContractTarget) {
  const create = async (tag: string) => {
    const response = await target.fetch("/api/v1/products", json(productInput(tag, { description: "as stored" })));
    expect(response.status).toBe(201);
    return { product: (await response.json()) as ProductBody, etag: response.headers.get("etag") ?? "" };
  };

  describe(`product revisions (${target.runtime})`, () => {
    it("keeps version, updatedAt and ETag for a merge patch or replacement that changes nothing", async () => {
      const { product, etag } = await create(uniqueTag());
      const path = `/api/v1/products/${product.id}`;
      const { name, description, priceCents, currency, sku } = product;
      const noChanges: [method: string, body: Record<string, unknown>][] = [
        ["PATCH", {}],
        ["PATCH", { priceCents, description }],
        ["PATCH", { name, description, priceCents, currency, sku }],
        ["PUT", { name, description, priceCents, currency, sku }],
      ];
      for (const [method, body] of noChanges) {
        const response = await target.fetch(path, json(body, method, { "if-match": etag }));
        expect(response.status, `${method} ${JSON.stringify(body)}`).toBe(200);
        expect(response.headers.get("etag")).toBe(etag);
        expect(await response.json()).toEqual(product);
      }
      // The client's copy is still current: revalidation answers 304, still private to the caller.
      const revalidated = await target.fetch(path, { headers: { "if-none-match": etag } });
      expect(revalidated.status).toBe(304);
      expect(revalidated.headers.get("cache-control")).toBe("private, no-cache");

      const changed = await target.fetch(path, json({ description: null }, "PATCH", { "if-match": etag }));
      expect(changed.status).toBe(200);
      expect(changed.headers.get("etag")).toBe(`"${product.id}.2"`);
      const body = (await changed.json()) as ProductBody;
      expect(body).toMatchObject({ version: 2, description: null });
      expect(body.updatedAt).not.toBe(product.updatedAt);
      expect((await target.fetch(path, json({}, "PATCH", { "if-match": etag }))).status).toBe(412);
    });

    it("builds Link rel=next from the validated filters only", async () => {
      const tag = uniqueTag();
      for (const name of ["a", "b"]) await create(`${tag}${name}`);
      const response = await target.fetch(`/api/v1/products?utm_campaign=${"y".repeat(2000)}&q=${tag}&limit=1&minPrice=0`);
      expect(response.status).toBe(200);
      const { nextCursor } = (await response.json()) as { nextCursor: string };
      const next = /^<([^>]+)>; rel="next"$/.exec(response.headers.get("link") ?? "")?.[1] ?? "";
      const url = new URL(next, "http://service.test");
      expect(url.pathname).toBe("/api/v1/products");
      expect(Object.fromEntries(url.searchParams)).toEqual({ q: tag, limit: "1", minPrice: "0", cursor: nextCursor });
      expect((await target.fetch(next)).status).toBe(200);
    });
  });
}
