import { describe, expect, it } from "vitest";
import { signAccessToken } from "../../src/core/auth/jwt";
import { type ContractTarget, countUsers, json, testJwtSettings, uniqueTag, userInput } from "./target";

/**
 * Idempotency-Key on `POST /api/v1/users`: the middleware, the claim and the stored answer are
 * shared by every idempotent create, and users are the resource each service keeps.
 */
export function idempotencyContract(target: ContractTarget) {
  const post = (body: unknown, key: string | undefined, send = target.fetch) =>
    send("/api/v1/users", json(body, "POST", key === undefined ? {} : { "idempotency-key": key }));
  /** Another admin than the test admin (a real one: admin operations check the stored role): keys are scoped to the token's subject. */
  const anotherAdmin = async () => {
    const created = await target.fetch("/api/v1/users", json(userInput(uniqueTag(), { role: "admin" })));
    expect(created.status).toBe(201);
    const { id, email } = (await created.json()) as { id: string; email: string };
    const { token } = await signAccessToken(testJwtSettings, { sub: id, role: "admin", email, authVersion: 1 });
    return (path: string, init: RequestInit = {}) => {
      const headers = new Headers(init.headers);
      headers.set("authorization", `Bearer ${token}`);
      return target.fetch(path, { ...init, headers });
    };
  };

  describe(`Idempotency-Key (${target.runtime})`, () => {
    it("replays the stored answer for the same key and body, and creates nothing more", async () => {
      const tag = uniqueTag();
      const key = `key-${tag}`;
      const first = await post(userInput(tag), key);
      expect(first.status).toBe(201);
      expect(first.headers.get("idempotency-replayed")).toBeNull();
      const again = await post(userInput(tag), key);
      expect(again.status).toBe(201);
      expect(again.headers.get("idempotency-replayed")).toBe("true");
      const [a, b] = [await first.json(), await again.json()];
      expect(b).toEqual(a);
      expect(JSON.stringify(b)).not.toContain("password");
      expect(again.headers.get("location")).toBe(first.headers.get("location"));
      expect(await countUsers(target, tag)).toBe(1);
    });

    it("refuses the same key with another body (422), creating nothing", async () => {
      const tag = uniqueTag();
      const key = `key-${tag}`;
      expect((await post(userInput(tag), key)).status).toBe(201);
      const other = await post(userInput(`${tag}-other`), key);
      expect(other.status).toBe(422);
      expect(await countUsers(target, `${tag}-other`)).toBe(0);
    });

    it("scopes keys per user", async () => {
      const tag = uniqueTag();
      const key = `shared-${tag}`;
      expect((await post(userInput(`${tag}-a`), key)).status).toBe(201);
      const other = await post(userInput(`${tag}-b`), key, await anotherAdmin());
      expect(other.status).toBe(201);
      expect(other.headers.get("idempotency-replayed")).toBeNull();
      expect(await countUsers(target, tag)).toBe(2);
    });

    it("of concurrent identical requests exactly one creates; the rest replay or get 409", async () => {
      const tag = uniqueTag();
      const responses = await Promise.all(Array.from({ length: 6 }, () => post(userInput(tag), `race-${tag}`)));
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
      expect(await countUsers(target, tag)).toBe(1);
    });

    it("stores a conflict as the answer, and frees the key after a validation error", async () => {
      const tag = uniqueTag();
      expect((await post(userInput(tag), undefined)).status).toBe(201);
      const taken = userInput(tag, { role: "editor" });
      const conflict = await post(taken, `conflict-${tag}`);
      expect(conflict.status).toBe(409);
      const replayed = await post(taken, `conflict-${tag}`);
      expect(replayed.status).toBe(409);
      expect(replayed.headers.get("idempotency-replayed")).toBe("true");
      expect(replayed.headers.get("content-type")).toBe("application/problem+json");
      expect(await replayed.json()).toMatchObject({ code: "conflict", errors: [{ path: "email", code: "taken" }] });

      const invalid = await post({ email: "" }, `invalid-${tag}`);
      expect(invalid.status).toBe(422);
      const valid = await post(userInput(`${tag}-v`), `invalid-${tag}`);
      expect(valid.status).toBe(201);
    });

    it.each([
      ["empty", ""],
      ["with a space", "has space"],
      ["too long", "k".repeat(256)],
      ["non-ASCII", "clé"],
    ])("400 for a key that is %s", async (_, key) => {
      const tag = uniqueTag();
      const response = await post(userInput(tag), key);
      expect(response.status).toBe(400);
      expect(await countUsers(target, tag)).toBe(0);
    });
  });
}
