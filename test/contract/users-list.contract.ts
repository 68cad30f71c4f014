import { describe, expect, it } from "vitest";
import { type ContractTarget, json, uniqueTag, userInput } from "./target";

interface UserPage {
  data: { id: string; email: string; role: string }[];
  nextCursor: string | null;
}

/** A cursor as the API makes them (base64url JSON), to forge ones it never issued. */
const cursorOf = (payload: unknown) => btoa(JSON.stringify(payload)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

/** Keyset paging, search and filters of `GET /api/v1/users`: the list every service keeps. */
export function usersListContract(target: ContractTarget) {
  const page = async (query: string) => {
    const response = await target.fetch(`/api/v1/users?${query}`);
    expect(response.status, await response.clone().text()).toBe(200);
    return { body: (await response.json()) as UserPage, link: response.headers.get("link") };
  };
  const emails = (body: UserPage) => body.data.map((user) => user.email);
  const refused = async (query: string) => {
    const response = await target.fetch(`/api/v1/users?${query}`);
    expect(response.status, query).toBe(422);
    expect(await response.json()).toMatchObject({ code: "validation_failed", errors: [{ path: "cursor", code: "invalid_cursor" }] });
  };

  describe(`users list (${target.runtime})`, () => {
    it("pages by e-mail both ways with nextCursor and Link, filtered by q and role", async () => {
      const tag = uniqueTag();
      for (const [name, role] of [
        ["c", "viewer"],
        ["a", "viewer"],
        ["b", "editor"],
      ])
        expect((await target.fetch("/api/v1/users", json(userInput(`${tag}-${name}`, { role })))).status).toBe(201);
      const address = (name: string) => `${tag}-${name}@test.example`;

      const first = await page(`q=${tag.toUpperCase()}&sort=email&limit=2`);
      expect(emails(first.body)).toEqual([address("a"), address("b")]);
      expect(first.link).toMatch(/^<\/api\/v1\/users\?.*cursor=.*>; rel="next"$/);
      const next = await page(/^<\/api\/v1\/users\?([^>]+)>/.exec(first.link ?? "")?.[1] ?? "");
      expect(emails(next.body)).toEqual([address("c")]);
      expect(next.body.nextCursor).toBeNull();
      expect(next.link).toBeNull();

      const descending = await page(`q=${tag}&sort=-email&limit=2`);
      expect(emails(descending.body)).toEqual([address("c"), address("b")]);
      const rest = await page(`q=${tag}&sort=-email&limit=2&cursor=${descending.body.nextCursor}`);
      expect(emails(rest.body)).toEqual([address("a")]);

      const newestFirst = await page(`q=${tag}&limit=1`);
      expect(emails(newestFirst.body)).toEqual([address("b")]);
      const older = await page(`q=${tag}&limit=1&cursor=${newestFirst.body.nextCursor}`);
      expect(emails(older.body)).toEqual([address("a")]);

      expect(emails((await page(`q=${tag}&role=editor`)).body)).toEqual([address("b")]);
      expect((await page(`q=${tag.replace(/^t/, "%")}`)).body.data).toEqual([]);
    });

    it("refuses a cursor made for another sort or other filters, and one it never issued", async () => {
      const tag = uniqueTag();
      for (const name of ["a", "b"]) expect((await target.fetch("/api/v1/users", json(userInput(`${tag}-${name}`)))).status).toBe(201);
      const { body } = await page(`q=${tag}&sort=email&limit=1`);
      const cursor = body.nextCursor ?? "";
      expect(cursor).not.toBe("");
      await refused(`q=${tag}&sort=-email&limit=1&cursor=${cursor}`);
      await refused(`q=${tag}&sort=email&role=viewer&limit=1&cursor=${cursor}`);
      const id = crypto.randomUUID();
      const filters = JSON.stringify([tag, null]);
      const forgeries: [sort: string, cursor: string][] = [
        ["email", "not*base64"],
        ["email", cursorOf("just a string")],
        ["email", cursorOf({ s: "email", f: filters, k: 42, i: id })],
        ["email", cursorOf({ s: "email", f: filters, k: "a\u0000b", i: id })],
        ["createdAt", cursorOf({ s: "createdAt", f: filters, k: "2026-02-30T00:00:00.000Z", i: id })],
        ["createdAt", cursorOf({ s: "createdAt", f: filters, k: 1, i: id })],
      ];
      for (const [sort, forged] of forgeries) await refused(`q=${tag}&sort=${sort}&limit=1&cursor=${forged}`);
    });
  });
}
