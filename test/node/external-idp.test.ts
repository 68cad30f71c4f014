import http from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNodeTarget, type NodeTarget } from "./app-target";

// An OpenID Connect provider of our own: a JWKS served on loopback, tokens signed with its RS256 key.
let server: http.Server;
let target: NodeTarget;
let privateKey: CryptoKey;
let jwksRequests = 0;

const externalToken = (claims: Record<string, unknown>, issuer = "https://idp.test", audience = "product-service-api") =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "RS256", kid: "test-key" })
    .setSubject("auth0|12345")
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
  target = createNodeTarget({
    JWT_JWKS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/.well-known/jwks.json`,
    JWT_EXTERNAL_ISSUER: "https://idp.test",
    JWT_EXTERNAL_AUDIENCE: "product-service-api",
    JWT_ROLE_CLAIM: "https://product-service/roles",
  });
});

afterAll(async () => {
  await target.database.close();
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
});
