import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { json, uniqueTag, userInput } from "../contract/target";
import { createNodeTarget, type NodeTarget } from "./app-target";

// An OpenID Connect provider of our own: a JWKS served on loopback, tokens signed with its RS256 key.
let server: http.Server;
let target: NodeTarget;
/** The same provider, configured to accept only what it marks as access tokens (JWT_EXTERNAL_TYP). */
let typed: NodeTarget;
let privateKey: CryptoKey;
let jwksRequests = 0;

const externalToken = (
  claims: Record<string, unknown>,
  issuer = "https://idp.test",
  audience = "product-service-api",
  header: { typ?: string } = {},
) =>
  new SignJWT({ sub: "auth0|12345", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: "test-key", ...header })
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(privateKey);

beforeAll(async () => {
  const keys = await generateKeyPair("RS256", { extractable: true });
  privateKey = keys.privateKey;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  server = http.createServer((_, response) => {
    jwksRequests++;
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const idp = {
    JWT_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    JWT_EXTERNAL_ISSUER: "https://idp.test",
    JWT_EXTERNAL_AUDIENCE: "product-service-api",
    JWT_ROLE_CLAIM: "https://product-service/roles",
  };
  target = createNodeTarget(idp);
  typed = createNodeTarget({ ...idp, JWT_EXTERNAL_TYP: "at+jwt" });
});

afterAll(async () => {
  await target.database.close();
  await typed.database.close();
  await new Promise((resolve) => server.close(resolve));
});

describe("external identity provider (JWT_JWKS_URL)", () => {
  const call = (token: string, path = "/api/v1/users/me") =>
    target.as("anonymous")(path, { headers: { authorization: `Bearer ${token}` } });

  it("accepts its tokens with the role from the configured claim, fetching the JWKS once", async () => {
    const token = await externalToken({ "https://product-service/roles": ["editor"], email: "ext@idp.test" });
    const me = await call(token);
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ id: "auth0|12345", email: "ext@idp.test", role: "editor" });
    expect((await call(token, "/api/v1/ping")).status).toBe(200);
    expect((await call(token, "/api/v1/users")).status).toBe(403);
    expect(jwksRequests).toBe(1);
  });

  it("rejects its tokens for another issuer or audience, and unknown roles", async () => {
    expect((await call(await externalToken({}, "https://evil.test"))).status).toBe(401);
    expect((await call(await externalToken({}, "https://idp.test", "other-api"))).status).toBe(401);
    expect((await call(await externalToken({ "https://product-service/roles": "superuser" }))).status).toBe(401);
  });

  it("still accepts the service's own tokens", async () => {
    expect((await target.fetch("/api/v1/users/me")).status).toBe(200);
  });

  it("with JWT_EXTERNAL_TYP, refuses tokens of another typ: an ID token cannot pass as an access token", async () => {
    const callTyped = async (header: { typ?: string }) =>
      (
        await typed.as("anonymous")("/api/v1/users/me", {
          headers: { authorization: `Bearer ${await externalToken({}, undefined, undefined, header)}` },
        })
      ).status;
    expect(await callTyped({ typ: "at+jwt" })).toBe(200);
    expect(await callTyped({ typ: "application/at+jwt" })).toBe(200);
    expect(await callTyped({ typ: "JWT" })).toBe(401);
    expect(await callTyped({})).toBe(401);
    // Unset (the default), the IdP's typ is not looked at.
    expect((await call(await externalToken({}, undefined, undefined, { typ: "JWT" }))).status).toBe(200);
  });

  it("keeps Idempotency-Keys apart from a local user's even when the external sub equals that user's id", async () => {
    const admin = inject("testUsers").admin;
    const key = `collide-${uniqueTag()}`;
    const local = await target.fetch("/api/v1/users", json(userInput(uniqueTag()), "POST", { "idempotency-key": key }));
    expect(local.status).toBe(201);
    const lookalike = await externalToken({ sub: admin.id, "https://product-service/roles": "admin" });
    const external = await target.as("anonymous")(
      "/api/v1/users",
      json(userInput(uniqueTag()), "POST", { "idempotency-key": key, authorization: `Bearer ${lookalike}` }),
    );
    // Its own request, created: not the local admin's stored answer (a replay) nor a clash with it (422).
    expect(external.status).toBe(201);
    expect(external.headers.get("idempotency-replayed")).toBeNull();
    expect(((await external.json()) as { id: string }).id).not.toBe(((await local.json()) as { id: string }).id);
  });
});
