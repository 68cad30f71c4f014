import { describe, expect, it } from "vitest";
import { type ContractTarget, form, json, uniqueTag, userInput } from "./target";

/**
 * Every `/api/v1` answer depends on its caller, so none may land in a shared
 * cache: answers say `private, no-cache`, problems and tokens `no-store`.
 */
export function cacheControlContract(target: ContractTarget) {
  const anonymous = target.as("anonymous");
  const tokenRequest = (fields: Record<string, string>) => anonymous("/api/v1/auth/token", form(fields));
  const caching = (response: Response) => ({
    status: response.status,
    cacheControl: response.headers.get("cache-control"),
    pragma: response.headers.get("pragma"),
  });
  const revalidated = (status: number) => ({ status, cacheControl: "private, no-cache", pragma: null });
  const neverStored = (status: number) => ({ status, cacheControl: "no-store", pragma: "no-cache" });

  describe(`Cache-Control (${target.runtime})`, () => {
    it("says private, no-cache on answers for the caller: reads, lists, creates, changes, deletes", async () => {
      expect(caching(await target.fetch("/api/v1/users/me"))).toEqual(revalidated(200));
      expect(caching(await target.as("viewer")("/api/v1/ping"))).toEqual(revalidated(200));
      expect(caching(await target.fetch("/api/v1/users?limit=1"))).toEqual(revalidated(200));
      const created = await target.fetch("/api/v1/users", json(userInput(uniqueTag())));
      expect(caching(created)).toEqual(revalidated(201));
      const { id } = (await created.json()) as { id: string };
      expect(caching(await target.fetch(`/api/v1/users/${id}`))).toEqual(revalidated(200));
      expect(caching(await target.fetch(`/api/v1/users/${id}`, json({ role: "editor" }, "PATCH")))).toEqual(revalidated(200));
      expect(caching(await target.fetch(`/api/v1/users/${id}`, { method: "DELETE" }))).toEqual(revalidated(204));
    });

    it("says no-store (and Pragma: no-cache) on problems: nothing in them is worth keeping", async () => {
      expect(caching(await anonymous("/api/v1/users/me"))).toEqual(neverStored(401));
      expect(caching(await target.as("viewer")("/api/v1/users"))).toEqual(neverStored(403));
      expect(caching(await target.fetch(`/api/v1/users/${crypto.randomUUID()}`))).toEqual(neverStored(404));
      expect(caching(await target.fetch("/api/v1/users?limit=0"))).toEqual(neverStored(422));
      expect(caching(await target.fetch("/api/v1/users/me", { method: "PUT" }))).toEqual(neverStored(405));
      expect(caching(await target.fetch("/api/v1/nothing-here"))).toEqual(neverStored(404));
    });

    it("says no-store and Pragma: no-cache on token and revoke answers, refusals included (RFC 6749 §5.1)", async () => {
      // A user of its own: a wrong password counts against the account's login limit.
      const { email, password } = userInput(uniqueTag());
      expect((await target.fetch("/api/v1/users", json({ email, password, role: "viewer" }))).status).toBe(201);
      const issued = await tokenRequest({ grant_type: "password", username: email, password });
      expect(caching(issued)).toEqual(neverStored(200));
      const { refresh_token } = (await issued.json()) as { refresh_token: string };
      expect(caching(await tokenRequest({ grant_type: "password", username: email, password: "not the password" }))).toEqual(
        neverStored(401),
      );
      const revoked = await anonymous("/api/v1/auth/revoke", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ token: refresh_token }).toString(),
      });
      expect(caching(revoked)).toEqual(neverStored(200));
    });
  });
}
