import { describe, expect, it } from "vitest";
import { type ContractTarget, json, productInput, uniqueTag } from "./target";

interface ProductBody {
  id: string;
  priceCents: number;
  version: number;
}

/**
 * Writers racing for real (concurrent requests, one database): optimistic
 * concurrency with ETags and the sku's uniqueness must hold under contention,
 * not only one request after another.
 */
export function concurrencyContract(target: ContractTarget) {
  const { fetch } = target;
  const create = async (tag: string, overrides: Record<string, unknown> = {}) => {
    const response = await fetch("/api/v1/products", json(productInput(tag, overrides)));
    expect(response.status, await response.clone().text()).toBe(201);
    return { product: (await response.json()) as ProductBody, etag: response.headers.get("etag") ?? "" };
  };
  const current = async (id: string) => {
    const response = await fetch(`/api/v1/products/${id}`);
    expect(response.status).toBe(200);
    return { product: (await response.json()) as ProductBody, etag: response.headers.get("etag") ?? "" };
  };

  describe(`concurrency (${target.runtime})`, () => {
    it("round after round, of writers racing with one ETag exactly one wins; version = 1 + wins", { timeout: 30_000 }, async () => {
      const { product } = await create(uniqueTag());
      const writers = 10;
      const rounds = 4;
      let wins = 0;
      let lastWinner: ProductBody | undefined;
      for (let round = 1; round <= rounds; round++) {
        const { etag } = await current(product.id);
        const answers = await Promise.all(
          Array.from({ length: writers }, (_, writer) => {
            const priceCents = round * 100 + writer;
            // Half PATCH, half PUT: both are the same conditional UPDATE.
            const body = writer % 2 === 0 ? { priceCents } : { ...productInput(`${product.id}-r${round}`), sku: product.id, priceCents };
            return fetch(`/api/v1/products/${product.id}`, json(body, writer % 2 === 0 ? "PATCH" : "PUT", { "if-match": etag }));
          }),
        );
        const statuses = answers.map((answer) => answer.status);
        expect(
          statuses.filter((status) => status === 200),
          statuses.join(),
        ).toHaveLength(1);
        expect(statuses.filter((status) => status === 412)).toHaveLength(writers - 1);
        const winner = answers.find((answer) => answer.status === 200);
        lastWinner = (await winner?.json()) as ProductBody;
        expect(lastWinner.version).toBe(round + 1);
        expect(winner?.headers.get("etag")).toBe(`"${product.id}.${round + 1}"`);
        wins++;
      }
      const { product: final } = await current(product.id);
      expect(final.version).toBe(1 + wins);
      expect(final.priceCents).toBe(lastWinner?.priceCents);
    });

    it("read-modify-write with If-Match loses no update: every writer's increment lands once", { timeout: 30_000 }, async () => {
      const { product } = await create(uniqueTag(), { priceCents: 0 });
      const writers = 6;
      const attempts: number[] = [];
      await Promise.all(
        Array.from({ length: writers }, async () => {
          for (let attempt = 1; attempt <= 60; attempt++) {
            const { product: seen, etag } = await current(product.id);
            const answer = await fetch(
              `/api/v1/products/${product.id}`,
              json({ priceCents: seen.priceCents + 1 }, "PATCH", { "if-match": etag }),
            );
            await answer.body?.cancel();
            if (answer.status === 200) {
              attempts.push(attempt);
              return;
            }
            expect(answer.status).toBe(412);
          }
          throw new Error("a writer never won within 60 attempts");
        }),
      );
      const { product: final } = await current(product.id);
      expect(attempts).toHaveLength(writers);
      expect(final).toMatchObject({ priceCents: writers, version: 1 + writers });
    });

    it("of deletes racing with one ETag exactly one answers 204; the rest 412 or 404 and nothing else changes", async () => {
      const { product, etag } = await create(uniqueTag());
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          target.as("admin")(`/api/v1/products/${product.id}`, { method: "DELETE", headers: { "if-match": etag } }),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(
        statuses.filter((status) => status === 204),
        statuses.join(),
      ).toHaveLength(1);
      expect(statuses.every((status) => status === 204 || status === 404 || status === 412)).toBe(true);
      expect((await fetch(`/api/v1/products/${product.id}`)).status).toBe(404);
    });

    it("of concurrent creates with one sku exactly one answers 201, the rest 409 conflict, and one row exists", async () => {
      const tag = uniqueTag();
      const sku = `SKU-${tag}`;
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, writer) =>
          // Half of them with their own Idempotency-Key: a key does not make a taken sku free.
          target.as("editor")(
            "/api/v1/products",
            json(productInput(`${tag}-${writer}`, { sku }), "POST", writer % 2 === 0 ? {} : { "idempotency-key": `${tag}-${writer}` }),
          ),
        ),
      );
      const statuses = answers.map((answer) => answer.status);
      expect(
        statuses.filter((status) => status === 201),
        statuses.join(),
      ).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(7);
      for (const answer of answers.filter((candidate) => candidate.status === 409)) {
        expect(await answer.json()).toMatchObject({ code: "conflict", errors: [{ path: "sku", code: "taken" }] });
      }
      const listed = (await (await fetch(`/api/v1/products?q=${sku}`)).json()) as { data: ProductBody[] };
      expect(listed.data).toHaveLength(1);
    });
  });
}
