import { describe, expect, it } from "vitest";
import { type ContractTarget, json, uniqueTag, userInput } from "./target";

interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
}

/**
 * What a token allows follows the stored user: refresh tokens (rotation, reuse,
 * revocation) and admin power that ends with the role, password or account it
 * was issued for (issue 14's reproduction, step by step).
 */
export function sessionsContract(target: ContractTarget) {
  const anonymous = target.as("anonymous");
  // Each test logs in from its own address, so login limits of other tests never interfere.
  const address = () => `203.0.113.${Math.floor(Math.random() * 250) + 1}`;
  const tokenRequest = (fields: Record<string, string>, path = "/api/v1/auth/token") =>
    anonymous(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": address() },
      body: new URLSearchParams(fields).toString(),
    });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const as =
    (token: string) =>
    (path: string, init: RequestInit = {}) =>
      anonymous(path, { ...init, headers: { ...Object.fromEntries(new Headers(init.headers)), ...bearer(token) } });

  /** A fresh user with this role, logged in through the token endpoint. */
  async function signedIn(role: "viewer" | "editor" | "admin") {
    const input = userInput(uniqueTag(), { role });
    const created = await target.fetch("/api/v1/users", json(input));
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const login = await tokenRequest({ grant_type: "password", username: input.email, password: input.password });
    expect(login.status).toBe(200);
    return { id, email: input.email, ...((await login.json()) as TokenPair) };
  }

  const refresh = (refreshToken: string) => tokenRequest({ grant_type: "refresh_token", refresh_token: refreshToken });

  async function expectInvalidGrant(response: Response) {
    expect(response.status).toBe(400);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(await response.json()).toMatchObject({ code: "bad_request", error: "invalid_grant" });
  }

  describe(`sessions (${target.runtime})`, () => {
    describe("refresh tokens", () => {
      it("exchange a refresh token for a new pair; the old one is retired", async () => {
        const user = await signedIn("viewer");
        const response = await refresh(user.refresh_token);
        expect(response.status).toBe(200);
        expect(response.headers.get("cache-control")).toBe("no-store");
        const pair = (await response.json()) as TokenPair;
        expect(pair.refresh_token).not.toBe(user.refresh_token);
        expect((await as(pair.access_token)("/api/v1/users/me")).status).toBe(200);
        expect((await refresh(pair.refresh_token)).status).toBe(200);
      });

      it("presenting a retired refresh token revokes its whole family", async () => {
        const user = await signedIn("viewer");
        const next = (await (await refresh(user.refresh_token)).json()) as TokenPair;
        await expectInvalidGrant(await refresh(user.refresh_token));
        // The successor the legitimate client (or the thief) got is dead too.
        await expectInvalidGrant(await refresh(next.refresh_token));
        // Another login is another family, untouched.
        expect((await tokenRequest({ username: user.email, password: userInput("").password })).status).toBe(200);
      });

      it("of two requests presenting one refresh token at once, at most one gets a pair", async () => {
        const user = await signedIn("viewer");
        const answers = await Promise.all([refresh(user.refresh_token), refresh(user.refresh_token)]);
        expect(answers.filter((answer) => answer.status === 200).length).toBeLessThanOrEqual(1);
        expect(answers.filter((answer) => answer.status === 400).length).toBeGreaterThanOrEqual(1);
      });

      it("an unknown refresh token, or a missing one, is refused", async () => {
        await expectInvalidGrant(await refresh("x".repeat(43)));
        const missing = await tokenRequest({ grant_type: "refresh_token" });
        expect(missing.status).toBe(422);
        expect(((await missing.json()) as { errors: { path: string }[] }).errors.map((error) => error.path)).toContain("refresh_token");
      });

      it("revoke (RFC 7009) ends the family, answers 200 for unknown tokens, needs no bearer token", async () => {
        const user = await signedIn("viewer");
        const revoked = await tokenRequest({ token: user.refresh_token, token_type_hint: "refresh_token" }, "/api/v1/auth/revoke");
        expect(revoked.status).toBe(200);
        expect(revoked.headers.get("cache-control")).toBe("no-store");
        await expectInvalidGrant(await refresh(user.refresh_token));
        expect((await tokenRequest({ token: "never-issued" }, "/api/v1/auth/revoke")).status).toBe(200);
      });

      it("a password change or a role change ends the user's refresh tokens", async () => {
        const byPassword = await signedIn("viewer");
        expect(
          (await target.fetch(`/api/v1/users/${byPassword.id}`, json({ password: "a brand new long password" }, "PATCH"))).status,
        ).toBe(200);
        await expectInvalidGrant(await refresh(byPassword.refresh_token));
        const byRole = await signedIn("viewer");
        expect((await target.fetch(`/api/v1/users/${byRole.id}`, json({ role: "editor" }, "PATCH"))).status).toBe(200);
        await expectInvalidGrant(await refresh(byRole.refresh_token));
      });

      it("a refresh gives the stored role, not the one the family began with", async () => {
        const user = await signedIn("viewer");
        expect((await target.fetch(`/api/v1/users/${user.id}`, json({ role: "editor" }, "PATCH"))).status).toBe(200);
        const again = await tokenRequest({ username: user.email, password: userInput("").password });
        const pair = (await again.json()) as TokenPair;
        const refreshed = (await (await refresh(pair.refresh_token)).json()) as TokenPair;
        expect(((await (await as(refreshed.access_token)("/api/v1/users/me")).json()) as { role: string }).role).toBe("editor");
      });
    });

    describe("a demoted or deleted admin loses admin power at once", () => {
      it("replays the audit: every step of the demoted admin's old token is refused", async () => {
        const x = await signedIn("admin");
        const stale = as(x.access_token);
        expect((await stale("/api/v1/users?limit=1")).status).toBe(200);

        // The real admin demotes X and resets its password.
        const demoted = await target.fetch(`/api/v1/users/${x.id}`, json({ role: "viewer", password: "a reset long password" }, "PATCH"));
        expect(demoted.status).toBe(200);

        // X's old token: listing users, raising X back, demoting the real admin: all refused, nothing changed.
        const listed = await stale("/api/v1/users?limit=1");
        expect(listed.status).toBe(401);
        expect(listed.headers.get("www-authenticate")).toContain('error="invalid_token"');
        expect((await stale(`/api/v1/users/${x.id}`, json({ role: "admin" }, "PATCH"))).status).toBe(401);
        const realAdmin = (await (await target.fetch("/api/v1/users/me")).json()) as { id: string };
        expect((await stale(`/api/v1/users/${realAdmin.id}`, json({ role: "viewer" }, "PATCH"))).status).toBe(401);
        expect((await stale(`/api/v1/users/${realAdmin.id}`)).status).toBe(401);
        // Checked before any row is read: an empty page or a missing user reveals nothing either.
        expect((await stale(`/api/v1/users?q=${uniqueTag()}`)).status).toBe(401);
        expect((await stale(`/api/v1/users/${crypto.randomUUID()}`)).status).toBe(401);
        expect(((await (await target.fetch(`/api/v1/users/${x.id}`)).json()) as { role: string }).role).toBe("viewer");
        expect(((await (await target.fetch("/api/v1/users/me")).json()) as { role: string }).role).toBe("admin");

        // After X is deleted, its old token cannot create a new admin either.
        expect((await target.fetch(`/api/v1/users/${x.id}`, { method: "DELETE" })).status).toBe(204);
        const tag = uniqueTag();
        const created = await stale("/api/v1/users", json(userInput(tag, { role: "admin" })));
        expect(created.status).toBe(401);
        const keyed = await stale("/api/v1/users", json(userInput(tag, { role: "admin" }), "POST", { "idempotency-key": tag }));
        expect(keyed.status).toBe(401);
        const found = (await (await target.fetch(`/api/v1/users?q=${tag}`)).json()) as { data: unknown[] };
        expect(found.data).toHaveLength(0);
      });

      it("a deleted admin's old token cannot delete products", async () => {
        const x = await signedIn("admin");
        const product = await target.fetch("/api/v1/products", json({ name: "Kept", priceCents: 100, sku: `SKU-${uniqueTag()}` }));
        expect(product.status).toBe(201);
        const { id } = (await product.json()) as { id: string };
        expect((await target.fetch(`/api/v1/users/${x.id}`, { method: "DELETE" })).status).toBe(204);
        expect((await as(x.access_token)(`/api/v1/products/${id}`, { method: "DELETE" })).status).toBe(401);
        expect((await target.fetch(`/api/v1/products/${id}`)).status).toBe(200);
      });

      it("a current admin's own token keeps working, and a changed-back role needs a new token", async () => {
        const x = await signedIn("admin");
        expect((await as(x.access_token)(`/api/v1/users/${x.id}`)).status).toBe(200);
        expect((await target.fetch(`/api/v1/users/${x.id}`, json({ role: "viewer" }, "PATCH"))).status).toBe(200);
        expect((await target.fetch(`/api/v1/users/${x.id}`, json({ role: "admin" }, "PATCH"))).status).toBe(200);
        // Admin again, but the token predates two role changes: sign in again.
        expect((await as(x.access_token)(`/api/v1/users/${x.id}`)).status).toBe(401);
      });
    });
  });
}
