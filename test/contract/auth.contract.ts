import { SignJWT } from "jose";
import { describe, expect, inject, it } from "vitest";
import { signAccessToken } from "../../src/core/auth/jwt";
import type { Role } from "../../src/core/auth/roles";
import { itChecksRoles } from "./roles";
import { type ContractTarget, countUsers, form, json, testJwtSettings, uniqueTag, userInput } from "./target";

const encoder = new TextEncoder();
const base64url = (value: unknown) => btoa(JSON.stringify(value)).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");

interface ProblemBody {
  code: string;
  status: number;
  detail: string;
  title: string;
}

export function authContract(target: ContractTarget) {
  const users = () => inject("testUsers");
  const anonymous = target.as("anonymous");
  const withToken = (token: string) => anonymous("/api/v1/users/me", { headers: { authorization: `Bearer ${token}` } });
  const expect401 = async (response: Response) => {
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Bearer realm="product-service"/);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    expect(((await response.json()) as ProblemBody).code).toBe("unauthorized");
  };
  const claimsFor = (role: Role) => ({ sub: users()[role].id, role, authVersion: 1 });

  describe(`authentication (${target.runtime})`, () => {
    describe("token endpoint", () => {
      it("issues a signed JWT for the right e-mail and password, usable as a bearer token", async () => {
        const user = users().editor;
        const response = await anonymous(
          "/api/v1/auth/token",
          form({ grant_type: "password", username: user.email.toUpperCase(), password: user.password }),
        );
        expect(response.status).toBe(200);
        expect(response.headers.get("cache-control")).toBe("no-store");
        const body = (await response.json()) as { access_token: string; token_type: string; expires_in: number; refresh_token: string };
        expect(body).toMatchObject({ token_type: "bearer", expires_in: 300 });
        expect(body.refresh_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        const [header, payload] = body.access_token
          .split(".")
          .slice(0, 2)
          .map((part) => JSON.parse(atob(part.replaceAll("-", "+").replaceAll("_", "/"))));
        expect(header).toEqual({ alg: "HS256", typ: "JWT" });
        expect(payload).toMatchObject({ sub: user.id, role: "editor", ver: 1, iss: "product-service", aud: "product-service" });
        expect(payload.exp - payload.iat).toBe(300);
        expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
        const me = await withToken(body.access_token);
        expect(me.status).toBe(200);
        expect(await me.json()).toMatchObject({ id: user.id, email: user.email, role: "editor" });
      });

      it("gives the same 401 for an unknown e-mail and a wrong password", async () => {
        const wrongPassword = await anonymous(
          "/api/v1/auth/token",
          form({ username: users().viewer.email, password: "not the password at all" }),
        );
        const unknownEmail = await anonymous(
          "/api/v1/auth/token",
          form({ username: `nobody-${uniqueTag()}@test.example`, password: "not the password at all" }),
        );
        const bodies: Record<string, unknown>[] = [];
        for (const response of [wrongPassword, unknownEmail]) {
          expect(response.status).toBe(401);
          expect(response.headers.get("www-authenticate")).toMatch(/^Bearer/);
          const { requestId: _, instance: __, ...rest } = (await response.json()) as Record<string, unknown>;
          bodies.push(rest);
        }
        expect(bodies[0]).toEqual(bodies[1]);
      });

      it("accepts only the form encoding and the password grant", async () => {
        const user = users().viewer;
        const asJson = await anonymous("/api/v1/auth/token", json({ username: user.email, password: user.password }));
        expect(asJson.status).toBe(415);
        const otherGrant = await anonymous(
          "/api/v1/auth/token",
          form({ grant_type: "client_credentials", username: user.email, password: user.password }),
        );
        expect(otherGrant.status).toBe(422);
        const missing = await anonymous("/api/v1/auth/token", form({ username: user.email }));
        expect(missing.status).toBe(422);
      });
    });

    describe("bearer tokens", () => {
      it("401 with WWW-Authenticate: Bearer when the token is missing or not a bearer token", async () => {
        await expect401(await anonymous("/api/v1/ping"));
        await expect401(await anonymous("/api/v1/ping", { headers: { authorization: "Basic dXNlcjpwYXNz" } }));
        await expect401(await anonymous("/api/v1/ping", { headers: { authorization: "Bearer" } }));
        await expect401(await anonymous("/api/v1/ping", { headers: { authorization: "Bearer not.a.jwt" } }));
      });

      it.each([
        [
          "alg none",
          async () =>
            `${base64url({ alg: "none", typ: "JWT" })}.${base64url({ ...claimsFor("admin"), iss: "product-service", aud: "product-service", exp: 9999999999, iat: 1, jti: "x" })}.`,
        ],
        [
          "HS512 with the right secret",
          () =>
            new SignJWT({ role: "admin" })
              .setProtectedHeader({ alg: "HS512", typ: "JWT" })
              .setSubject(users().admin.id)
              .setIssuer("product-service")
              .setAudience("product-service")
              .setIssuedAt()
              .setExpirationTime("1h")
              .setJti("j")
              .sign(encoder.encode(testJwtSettings.secret)),
        ],
        [
          "another secret",
          () =>
            signAccessToken({ ...testJwtSettings, secret: "another-secret-that-is-long-enough-0123456789" }, claimsFor("admin")).then(
              (t) => t.token,
            ),
        ],
        [
          "a tampered payload (viewer raised to admin)",
          async () => {
            const [header, , signature] = (await signAccessToken(testJwtSettings, claimsFor("viewer"))).token.split(".");
            const payload = {
              ...claimsFor("viewer"),
              role: "admin",
              iss: "product-service",
              aud: "product-service",
              iat: 1,
              exp: 9999999999,
              jti: "x",
            };
            return `${header}.${base64url(payload)}.${signature}`;
          },
        ],
        ["an expired token", () => signAccessToken(testJwtSettings, claimsFor("admin"), Date.now() - 2 * 3600 * 1000).then((t) => t.token)],
        [
          "a wrong audience",
          () => signAccessToken({ ...testJwtSettings, audience: "another-service" }, claimsFor("admin")).then((t) => t.token),
        ],
        ["a wrong issuer", () => signAccessToken({ ...testJwtSettings, issuer: "someone-else" }, claimsFor("admin")).then((t) => t.token)],
      ])("401 for %s", async (_, forge) => {
        const response = await anonymous("/api/v1/ping", { headers: { authorization: `Bearer ${await forge()}` } });
        await expect401(response);
        expect(response.headers.get("www-authenticate")).toContain('error="invalid_token"');
      });
    });

    describe("roles on every route", () => {
      // Each resource's contract checks its own routes the same way (itChecksRoles).
      const userId = "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e60";
      itChecksRoles(target, [
        ["GET", "/api/v1/ping", "viewer", () => undefined],
        ["GET", "/api/v1/users/me", "viewer", () => undefined],
        ["GET", "/api/v1/users", "admin", () => undefined],
        ["POST", "/api/v1/users", "admin", () => json(userInput(`rbac-${uniqueTag()}`))],
        ["GET", `/api/v1/users/${userId}`, "admin", () => undefined],
        ["PATCH", `/api/v1/users/${userId}`, "admin", () => json({ role: "viewer" }, "PATCH")],
        ["DELETE", `/api/v1/users/${userId}`, "admin", () => ({ method: "DELETE" })],
      ]);

      it("a forbidden write changes nothing", async () => {
        const tag = uniqueTag();
        const denied = await target.as("editor")("/api/v1/users", json(userInput(tag)));
        expect(denied.status).toBe(403);
        expect(await countUsers(target, tag)).toBe(0);
      });
    });

    describe("users", () => {
      const newUser = (overrides: Record<string, unknown> = {}) => ({
        email: `u-${uniqueTag()}@test.example`,
        password: "a long enough password",
        role: "viewer",
        ...overrides,
      });

      it("creates, reads, lists, patches and deletes a user; never shows a password or hash", async () => {
        const input = newUser({ role: "editor" });
        const created = await target.fetch("/api/v1/users", json(input));
        expect(created.status).toBe(201);
        const text = await created.text();
        const user = JSON.parse(text) as { id: string; email: string; role: string };
        expect(Object.keys(user).sort()).toEqual(["createdAt", "email", "id", "role", "updatedAt"]);
        expect(created.headers.get("location")).toBe(`/api/v1/users/${user.id}`);
        const fetched = await target.fetch(`/api/v1/users/${user.id}`);
        const listed = await target.fetch(`/api/v1/users?q=${encodeURIComponent(input.email)}`);
        const patched = await target.fetch(
          `/api/v1/users/${user.id}`,
          json({ role: "viewer", password: "another long password" }, "PATCH"),
        );
        expect(patched.status).toBe(200);
        const bodies = [text, await fetched.text(), await listed.text(), await patched.text()];
        for (const body of bodies) {
          expect(body).not.toContain("password");
          expect(body).not.toContain("pbkdf2");
          expect(body).not.toContain(input.password);
        }
        expect(JSON.parse(bodies[2] ?? "").data).toHaveLength(1);
        expect(JSON.parse(bodies[3] ?? "").role).toBe("viewer");
        const login = await anonymous("/api/v1/auth/token", form({ username: input.email, password: "another long password" }));
        expect(login.status).toBe(200);
        expect((await target.fetch(`/api/v1/users/${user.id}`, { method: "DELETE" })).status).toBe(204);
        expect((await target.fetch(`/api/v1/users/${user.id}`)).status).toBe(404);
      });

      it("409 for an e-mail taken in another case", async () => {
        const input = newUser();
        expect((await target.fetch("/api/v1/users", json(input))).status).toBe(201);
        const again = await target.fetch("/api/v1/users", json({ ...input, email: input.email.toUpperCase() }));
        expect(again.status).toBe(409);
      });

      it.each([
        ["a short password", { password: "short" }, "password"],
        ["a common password", { password: "Password1234" }, "password"],
        ["an unknown role", { role: "owner" }, "role"],
        ["an invalid e-mail", { email: "not-an-email" }, "email"],
        ["a client-chosen id", { id: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f" }, "id"],
        ["a password hash", { passwordHash: "pbkdf2-sha256$1$x$y" }, "passwordHash"],
      ])("422 for %s, nothing created", async (_, overrides, path) => {
        const input = newUser(overrides);
        const response = await target.fetch("/api/v1/users", json(input));
        expect(response.status).toBe(422);
        const body = (await response.json()) as { errors: { path: string }[] };
        expect(body.errors.map((error) => error.path)).toContain(path);
        const listed = (await (await target.fetch(`/api/v1/users?q=${encodeURIComponent(String(input.email))}`)).json()) as {
          data: unknown[];
        };
        expect(listed.data).toHaveLength(0);
      });

      it("mass assignment through PATCH is refused", async () => {
        const created = (await (await target.fetch("/api/v1/users", json(newUser()))).json()) as { id: string };
        for (const body of [{ passwordHash: "x" }, { id: "01937c5e-8a4b-7c3d-9e2f-0a1b2c3d4e5f" }, { email: "x@y.z" }, { role: "root" }]) {
          expect((await target.fetch(`/api/v1/users/${created.id}`, json(body, "PATCH"))).status).toBe(422);
        }
        const after = (await (await target.fetch(`/api/v1/users/${created.id}`)).json()) as { role: string };
        expect(after.role).toBe("viewer");
      });

      it("a role change in a body never raises the caller: editors cannot patch users at all", async () => {
        const response = await target.as("editor")(`/api/v1/users/${users().editor.id}`, json({ role: "admin" }, "PATCH"));
        expect(response.status).toBe(403);
      });
    });
  });
}
