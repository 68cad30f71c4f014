import { describe, expect, it } from "vitest";
import { itChecksRoles } from "./roles";
import { type ContractTarget, json, productInput, uniqueTag } from "./target";

interface Operation {
  operationId?: string;
  parameters?: { name: string; in: string }[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}

/**
 * What the shared machinery (roles, Idempotency-Key, the OpenAPI document) gives products in
 * particular. The shared suites themselves run on users, which every service keeps.
 */
export function productsHttpContract(target: ContractTarget) {
  describe(`products: roles, idempotency, documentation (${target.runtime})`, () => {
    const id = "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f";
    itChecksRoles(target, [
      ["GET", "/api/v1/products", "viewer", () => undefined],
      ["GET", `/api/v1/products/${id}`, "viewer", () => undefined],
      ["POST", "/api/v1/products", "editor", () => json(productInput(uniqueTag()))],
      ["PUT", `/api/v1/products/${id}`, "editor", () => json(productInput(uniqueTag()), "PUT")],
      ["PATCH", `/api/v1/products/${id}`, "editor", () => json({ priceCents: 1 }, "PATCH")],
      ["DELETE", `/api/v1/products/${id}`, "admin", () => ({ method: "DELETE" })],
    ]);

    it("a viewer's create changes nothing", async () => {
      const tag = uniqueTag();
      expect((await target.as("viewer")("/api/v1/products", json(productInput(tag)))).status).toBe(403);
      const list = (await (await target.fetch(`/api/v1/products?q=${tag}`)).json()) as { data: unknown[] };
      expect(list.data).toHaveLength(0);
    });

    it("replays a create's Location and ETag with its body for the same Idempotency-Key", async () => {
      const tag = uniqueTag();
      const send = () => target.as("editor")("/api/v1/products", json(productInput(tag), "POST", { "idempotency-key": `key-${tag}` }));
      const first = await send();
      expect(first.status).toBe(201);
      const again = await send();
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotency-replayed")).toBe("true");
      expect(await again.json()).toEqual(await first.json());
      expect(again.headers.get("location")).toBe(first.headers.get("location"));
      expect(again.headers.get("etag")).toMatch(/^"[0-9a-f-]{36}\.1"$/);
      expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
    });

    it("documents every product operation with the problem responses it can give", async () => {
      const document = (await (await target.fetch("/openapi.json")).json()) as { paths: Record<string, Record<string, Operation>> };
      const operations = Object.values(document.paths).flatMap((item) => Object.values(item));
      const byId = new Map(operations.map((operation) => [operation.operationId, operation]));
      const expected: Record<string, string[]> = {
        listProducts: ["200", "400", "422", "500", "503"],
        getProduct: ["200", "304", "404", "422", "500", "503"],
        createProduct: ["201", "400", "409", "413", "415", "422", "500", "503"],
        replaceProduct: ["200", "404", "409", "412", "413", "415", "422"],
        patchProduct: ["200", "404", "409", "412", "413", "415", "422"],
        deleteProduct: ["204", "404", "412", "422"],
      };
      for (const [operationId, statuses] of Object.entries(expected)) {
        const responses = byId.get(operationId)?.responses ?? {};
        for (const status of statuses) expect(Object.keys(responses), `${operationId} ${status}`).toContain(status);
      }
      // Conditional headers are plain documented parameters (no runtime schema): still in the document.
      const headers = (operationId: string) =>
        byId
          .get(operationId)
          ?.parameters?.filter((p) => p.in === "header")
          .map((p) => p.name);
      expect(headers("getProduct")).toEqual(["If-None-Match"]);
      for (const operationId of ["replaceProduct", "patchProduct", "deleteProduct"]) expect(headers(operationId)).toEqual(["If-Match"]);
    });
  });
}
