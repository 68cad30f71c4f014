import { describe, expect, it } from "vitest";
import { type ContractTarget, json, productInput, uniqueTag } from "./target";

interface Created {
  id: string;
}

export function idempotencyContract(target: ContractTarget) {
  const post = (body: unknown, key: string | undefined, as: "editor" | "admin" = "editor", path = "/api/v1/products") =>
    target.as(as)(path, json(body, "POST", key === undefined ? {} : { "idempotency-key": key }));
  const count = async (tag: string) =>
    ((await (await target.fetch(`/api/v1/products?q=${tag}`)).json()) as { data: unknown[] }).data.length;

  describe(`Idempotency-Key (${target.runtime})`, () => {
    it("replays the stored answer for the same key and body, and creates nothing more", async () => {
      const tag = uniqueTag();
      const key = `key-${tag}`;
      const first = await post(productInput(tag), key);
      expect(first.status).toBe(201);
      expect(first.headers.get("idempotency-replayed")).toBeNull();
      const again = await post(productInput(tag), key);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotency-replayed")).toBe("true");
      expect(await again.json()).toEqual(await first.json());
      expect(again.headers.get("location")).toBe(first.headers.get("location"));
      expect(again.headers.get("etag")).toBe(first.headers.get("etag"));
      expect(await count(tag)).toBe(1);
    });

    it("refuses the same key with another body (422), creating nothing", async () => {
      const tag = uniqueTag();
      const key = `key-${tag}`;
      expect((await post(productInput(tag), key)).status).toBe(201);
      const other = await post(productInput(`${tag}-other`), key);
      expect(other.status).toBe(422);
      expect(await count(`${tag}-other`)).toBe(0);
    });

    it("scopes keys per user", async () => {
      const tag = uniqueTag();
      const key = `shared-${tag}`;
      expect((await post(productInput(`${tag}-a`), key, "editor")).status).toBe(201);
      const admin = await post(productInput(`${tag}-b`), key, "admin");
      expect(admin.status).toBe(201);
      expect(admin.headers.get("idempotency-replayed")).toBeNull();
      expect(await count(tag)).toBe(2);
    });

    it("of concurrent identical requests exactly one creates; the rest replay or get 409", async () => {
      const tag = uniqueTag();
      const responses = await Promise.all(Array.from({ length: 6 }, () => post(productInput(tag), `race-${tag}`)));
      const statuses = responses.map((response) => response.status);
      expect(
        statuses.every((status) => status === 201 || status === 409),
        statuses.join(),
      ).toBe(true);
      const fresh = responses.filter((response) => response.status === 201 && response.headers.get("idempotency-replayed") === null);
      expect(fresh).toHaveLength(1);
      for (const conflict of responses.filter((response) => response.status === 409)) {
        expect(conflict.headers.get("retry-after")).toBe("1");
      }
      expect(await count(tag)).toBe(1);
    });

    it("stores a conflict as the answer, and frees the key after a validation error", async () => {
      const tag = uniqueTag();
      expect((await post(productInput(tag), undefined)).status).toBe(201);
      const conflict = await post(productInput(tag, { name: "same sku" }), `conflict-${tag}`);
      expect(conflict.status).toBe(409);
      const replayed = await post(productInput(tag, { name: "same sku" }), `conflict-${tag}`);
      expect(replayed.status).toBe(409);
      expect(replayed.headers.get("idempotency-replayed")).toBe("true");
      expect(replayed.headers.get("content-type")).toBe("application/problem+json");

      const invalid = await post({ name: "" }, `invalid-${tag}`);
      expect(invalid.status).toBe(422);
      const valid = await post(productInput(`${tag}-v`), `invalid-${tag}`);
      expect(valid.status).toBe(201);
    });

    it.each([
      ["empty", ""],
      ["with a space", "has space"],
      ["too long", "k".repeat(256)],
      ["non-ASCII", "clé"],
    ])("400 for a key that is %s", async (_, key) => {
      const tag = uniqueTag();
      const response = await target.as("editor")("/api/v1/products", {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": encodeURI(key) === key ? key : key },
        body: JSON.stringify(productInput(tag)),
      });
      expect(response.status).toBe(400);
      expect(await count(tag)).toBe(0);
    });

    it("works for user creation too", async () => {
      const tag = uniqueTag();
      const body = { email: `idem-${tag}@test.example`, password: "a long enough password", role: "viewer" };
      const first = await post(body, `user-${tag}`, "admin", "/api/v1/users");
      const again = await post(body, `user-${tag}`, "admin", "/api/v1/users");
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotency-replayed")).toBe("true");
      const [a, b] = [(await first.json()) as Created, (await again.json()) as Created];
      expect(b).toEqual(a);
      const text = JSON.stringify(b);
      expect(text).not.toContain("password");
      const listed = (await (await target.fetch(`/api/v1/users?q=idem-${tag}`)).json()) as { data: unknown[] };
      expect(listed.data).toHaveLength(1);
    });
  });
}
