import { describe, expect, it } from "vitest";
import { type ContractTarget, json, uniqueTag, userInput } from "./target";

/** `Link: <…>; rel="next"` is made from the list's validated parameters, never by copying the query string. */
export function nextLinkContract(target: ContractTarget) {
  describe(`Link rel="next" (${target.runtime})`, () => {
    it("carries only the known parameters and the cursor, however much else the query had", async () => {
      const tag = uniqueTag();
      for (const name of ["a", "b"]) expect((await target.fetch("/api/v1/users", json(userInput(`${tag}-${name}`)))).status).toBe(201);
      // 4 KB of unknown parameters: an echoing Link grows with them (20 KB made one Node's fetch refuses).
      const junk = `utm_source=${"x".repeat(4000)}&utm_source=again&tracking=%E2%9C%93`;
      const response = await target.fetch(`/api/v1/users?${junk}&q=${tag}&sort=email&limit=01`);
      expect(response.status).toBe(200);
      const { nextCursor } = (await response.json()) as { nextCursor: string };
      const link = response.headers.get("link") ?? "";
      const next = /^<(\/api\/v1\/users\?[^>]+)>; rel="next"$/.exec(link)?.[1];
      expect(next, link.slice(0, 200)).toBeDefined();
      const url = new URL(next ?? "", "http://service.test");
      // The values as validated: `limit=01` is the number 1.
      expect(Object.fromEntries(url.searchParams)).toEqual({ q: tag, sort: "email", limit: "1", cursor: nextCursor });
      expect(link.length).toBeLessThan(600);

      const following = await target.fetch(`${url.pathname}${url.search}`);
      expect(following.status).toBe(200);
      expect(((await following.json()) as { data: { email: string }[] }).data.map((user) => user.email)).toEqual([`${tag}-b@test.example`]);
    });
  });
}
