import { createServer, type Server } from "node:http";
import { base64url, type CryptoKey, exportJWK, generateKeyPair, type JWTPayload, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  createTokenVerifier,
  type ExternalIdpSettings,
  InvalidTokenError,
  type JwtSettings,
  signAccessToken,
} from "../../src/core/auth/jwt";
import { isRole, roleAtLeast } from "../../src/core/auth/roles";

const settings: JwtSettings = {
  secret: "a-test-secret-that-is-long-enough-for-hs256-0123456789",
  issuer: "https://products.test",
  audience: "product-service",
  lifetimeSeconds: 900,
};
const secret = new TextEncoder().encode(settings.secret);
const verify = createTokenVerifier(settings);

const reasonOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return error instanceof InvalidTokenError ? error.reason : undefined;
};

const nowSeconds = () => Math.floor(Date.now() / 1000);
const validClaims = (): JWTPayload => ({
  sub: "user-1",
  role: "editor",
  ver: 1,
  iss: settings.issuer,
  aud: settings.audience,
  iat: nowSeconds(),
  exp: nowSeconds() + 60,
  jti: crypto.randomUUID(),
});
/** Signs arbitrary claims with the real secret, so only the claim under test is wrong. */
const signRaw = (claims: JWTPayload, alg = "HS256") => new SignJWT(claims).setProtectedHeader({ alg, typ: "JWT" }).sign(secret);
const encodeSegment = (value: unknown) => base64url.encode(JSON.stringify(value));

describe("roles", () => {
  it("orders viewer < editor < admin", () => {
    expect(roleAtLeast("admin", "editor")).toBe(true);
    expect(roleAtLeast("editor", "editor")).toBe(true);
    expect(roleAtLeast("viewer", "editor")).toBe(false);
    expect(isRole("admin")).toBe(true);
    expect(isRole("root")).toBe(false);
    expect(isRole(undefined)).toBe(false);
  });
});

describe("local access tokens", () => {
  it("signs HS256 with every claim and verifies to a principal", async () => {
    const { token, expiresIn } = await signAccessToken(settings, { sub: "user-1", role: "editor", authVersion: 1, email: "e@example.com" });
    expect(expiresIn).toBe(900);
    const [header, payload] = token.split(".");
    expect(JSON.parse(new TextDecoder().decode(base64url.decode(header ?? "")))).toEqual({ alg: "HS256", typ: "JWT" });
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
    expect(claims).toMatchObject({ sub: "user-1", role: "editor", iss: settings.issuer, aud: settings.audience });
    expect(claims.exp - claims.iat).toBe(900);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(await verify(token)).toEqual({ subject: "user-1", role: "editor", source: "local", authVersion: 1, email: "e@example.com" });
  });

  it("gives every token its own jti", async () => {
    const a = await signAccessToken(settings, { sub: "u", role: "viewer", authVersion: 1 });
    const b = await signAccessToken(settings, { sub: "u", role: "viewer", authVersion: 1 });
    expect(a.token).not.toBe(b.token);
    expect(await verify(a.token)).toEqual({ subject: "u", role: "viewer", source: "local", authVersion: 1 });
  });

  it('rejects alg "none"', async () => {
    const token = `${encodeSegment({ alg: "none", typ: "JWT" })}.${encodeSegment(validClaims())}.`;
    expect(await reasonOf(verify(token))).toBe("algorithm_not_allowed");
  });

  it("rejects HS384 and HS512 signed with the same secret", async () => {
    expect(await reasonOf(verify(await signRaw(validClaims(), "HS384")))).toBe("algorithm_not_allowed");
    expect(await reasonOf(verify(await signRaw(validClaims(), "HS512")))).toBe("algorithm_not_allowed");
  });

  it("rejects a tampered payload", async () => {
    const { token } = await signAccessToken(settings, { sub: "user-1", role: "viewer", authVersion: 1 });
    const [header, payload, signature] = token.split(".");
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload ?? "")));
    const promoted = `${header}.${encodeSegment({ ...claims, role: "admin" })}.${signature}`;
    expect(await reasonOf(verify(promoted))).toBe("bad_signature");
    const body = payload ?? "";
    const flipped = `${body.slice(0, 10)}${body[10] === "A" ? "B" : "A"}${body.slice(11)}`;
    expect(await reasonOf(verify(`${header}.${flipped}.${signature}`))).toMatch(/^(bad_signature|malformed)$/);
  });

  it("rejects a token signed with another secret", async () => {
    const { token } = await signAccessToken(
      { ...settings, secret: "another-secret-another-secret-another-secret" },
      { sub: "u", role: "admin", authVersion: 1 },
    );
    expect(await reasonOf(verify(token))).toBe("bad_signature");
  });

  it("rejects an expired token, with 5 s of clock tolerance", async () => {
    const longAgo = Date.now() - 2 * 3600_000;
    expect(await reasonOf(verify((await signAccessToken(settings, { sub: "u", role: "admin", authVersion: 1 }, longAgo)).token))).toBe(
      "expired",
    );
    const justExpired = Date.now() - (settings.lifetimeSeconds + 2) * 1000;
    expect((await verify((await signAccessToken(settings, { sub: "u", role: "admin", authVersion: 1 }, justExpired)).token)).role).toBe(
      "admin",
    );
    const beyondTolerance = Date.now() - (settings.lifetimeSeconds + 10) * 1000;
    expect(
      await reasonOf(verify((await signAccessToken(settings, { sub: "u", role: "admin", authVersion: 1 }, beyondTolerance)).token)),
    ).toBe("expired");
  });

  it("remembers a verified token only until its exp, and never a rejected one", async () => {
    // The verifier skips the HMAC for a token it has verified before (the same exact text):
    // a remembered token must still stop working at its exp, without the clock tolerance.
    const fresh = createTokenVerifier(settings);
    const token = await signRaw(validClaims());
    const principal = await fresh(token);
    expect(await fresh(token)).toEqual(principal);
    const [header, payload] = token.split(".");
    expect(await reasonOf(fresh(`${header}.${payload}.${"A".repeat(43)}`))).toBe("bad_signature");
    vi.useFakeTimers({ now: Date.now() + 61_000, toFake: ["Date"] });
    try {
      // 61 s later the token (exp = now + 60) is past its exp but within jose's 5 s tolerance:
      // accepted by the full check, never from memory.
      expect(await fresh(token)).toEqual(principal);
      vi.setSystemTime(Date.now() + 10_000);
      expect(await reasonOf(fresh(token))).toBe("expired");
    } finally {
      vi.useRealTimers();
    }
  });

  it("rejects a wrong issuer or audience", async () => {
    expect(await reasonOf(verify(await signRaw({ ...validClaims(), iss: "https://evil.test" })))).toBe("wrong_issuer");
    expect(await reasonOf(verify(await signRaw({ ...validClaims(), aud: "another-service" })))).toBe("wrong_audience");
  });

  it("rejects an unknown role", async () => {
    expect(await reasonOf(verify(await signRaw({ ...validClaims(), role: "superuser" })))).toBe("unknown_role");
    expect(await reasonOf(verify(await signRaw({ ...validClaims(), role: ["admin"] })))).toBe("unknown_role");
  });

  it("rejects tokens missing a required claim", async () => {
    for (const claim of ["sub", "role", "ver", "exp", "iat", "jti", "iss", "aud"]) {
      const claims = validClaims();
      delete claims[claim];
      expect(await reasonOf(verify(await signRaw(claims))), claim).toBe("missing_claim");
    }
    expect(await reasonOf(verify(await signRaw({ ...validClaims(), sub: "" })))).toBe("malformed");
    // The auth_version admin operations compare with the stored one must be an integer.
    for (const ver of ["1", 1.5, null])
      expect(await reasonOf(verify(await signRaw({ ...validClaims(), ver }))), String(ver)).toBe("malformed");
  });

  it("rejects a token whose typ is not JWT", async () => {
    const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: "HS256", typ: "at+jwt" }).sign(secret);
    expect(await reasonOf(verify(token))).toBe("malformed");
  });

  it("rejects garbage", async () => {
    for (const garbage of ["", "abc", "a.b.c", "Bearer x.y.z", "...", `${encodeSegment({ alg: "HS256" })}.e30`]) {
      expect(await reasonOf(verify(garbage)), garbage).toBe("malformed");
    }
    // The signature is checked before the payload is parsed, so a non-JSON payload never gets read.
    expect(await reasonOf(verify("eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln"))).toBe("bad_signature");
  });

  it("rejects an RS256 token when no external identity provider is configured", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const token = await new SignJWT(validClaims()).setProtectedHeader({ alg: "RS256" }).sign(privateKey);
    expect(await reasonOf(verify(token))).toBe("algorithm_not_allowed");
  });

  it("never leaks jose's messages", async () => {
    const error = await verify(await signRaw({ ...validClaims(), iss: "https://evil.test" })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidTokenError);
    expect(error instanceof Error ? error.message : "").toBe("Invalid access token: wrong_issuer");
    expect(error instanceof Error ? error.cause : "").toBeUndefined();
  });
});

describe("external identity provider tokens", () => {
  const idp = { issuer: "https://idp.test/", audience: "product-service-api" };
  let server: Server;
  let baseUrl: string;
  let requests: string[] = [];
  let privateKey: CryptoKey;
  let external: ExternalIdpSettings;

  beforeAll(async () => {
    const pair = await generateKeyPair("RS256", { extractable: true });
    privateKey = pair.privateKey;
    const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: "key-1", alg: "RS256", use: "sig" }] });
    server = createServer((request, response) => {
      requests.push(request.url ?? "");
      if (request.url === "/jwks") response.writeHead(200, { "content-type": "application/json" }).end(jwks);
      else response.writeHead(500).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const address = server.address();
    if (typeof address !== "object" || address === null) throw new Error("JWKS server has no port");
    baseUrl = `http://127.0.0.1:${address.port}`;
    external = { jwksUrl: `${baseUrl}/jwks`, ...idp, roleClaim: "roles" };
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const signExternal = (claims: JWTPayload, key: CryptoKey = privateKey, kid = "key-1", typ?: string) =>
    new SignJWT({ iss: idp.issuer, aud: idp.audience, sub: "idp|42", iat: nowSeconds(), exp: nowSeconds() + 60, ...claims })
      .setProtectedHeader({ alg: "RS256", kid, ...(typ === undefined ? {} : { typ }) })
      .sign(key);

  it("verifies RS256 tokens against the served JWKS, fetching it once for several tokens", async () => {
    requests = [];
    const verifyBoth = createTokenVerifier(settings, external);
    expect(await verifyBoth(await signExternal({ roles: ["offline_access", "editor"], email: "x@idp.test" }))).toEqual({
      subject: "idp|42",
      role: "editor",
      source: "external",
      issuer: idp.issuer,
      email: "x@idp.test",
    });
    expect(await verifyBoth(await signExternal({ roles: "admin" }))).toMatchObject({ role: "admin", source: "external" });
    expect(requests).toEqual(["/jwks"]);
    // Local tokens keep working alongside.
    expect((await verifyBoth((await signAccessToken(settings, { sub: "u", role: "viewer", authVersion: 1 })).token)).source).toBe("local");
  });

  it("maps the role claim: absent → viewer, several → the highest, unknown → rejected", async () => {
    const verifyBoth = createTokenVerifier(settings, external);
    expect((await verifyBoth(await signExternal({}))).role).toBe("viewer");
    expect((await verifyBoth(await signExternal({ roles: [] }))).role).toBe("viewer");
    expect((await verifyBoth(await signExternal({ roles: ["admin", "viewer"] }))).role).toBe("admin");
    expect(await reasonOf(verifyBoth(await signExternal({ roles: "superuser" })))).toBe("unknown_role");
    expect(await reasonOf(verifyBoth(await signExternal({ roles: ["offline_access"] })))).toBe("unknown_role");
    expect(await reasonOf(verifyBoth(await signExternal({ roles: 3 })))).toBe("unknown_role");
  });

  it("rejects a wrong issuer, a wrong audience, an expired token and a foreign key", async () => {
    const verifyBoth = createTokenVerifier(settings, external);
    expect(await reasonOf(verifyBoth(await signExternal({ iss: "https://evil.test/" })))).toBe("wrong_issuer");
    expect(await reasonOf(verifyBoth(await signExternal({ aud: settings.audience })))).toBe("wrong_audience");
    expect(await reasonOf(verifyBoth(await signExternal({ iat: nowSeconds() - 600, exp: nowSeconds() - 300 })))).toBe("expired");
    const { privateKey: foreign } = await generateKeyPair("RS256");
    expect(await reasonOf(verifyBoth(await signExternal({}, foreign)))).toBe("bad_signature");
    expect(await reasonOf(verifyBoth(await signExternal({}, foreign, "key-unknown")))).toBe("unknown_key");
  });

  it("does not let a local-looking HS256 token signed with the public key through", async () => {
    const verifyBoth = createTokenVerifier(settings, external);
    const publicJwk = JSON.stringify(await exportJWK((await generateKeyPair("RS256", { extractable: true })).publicKey));
    const token = await new SignJWT(validClaims())
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(new TextEncoder().encode(publicJwk));
    expect(await reasonOf(verifyBoth(token))).toBe("bad_signature");
  });

  it("reports an unreachable JWKS as jwks_unavailable", async () => {
    const verifyBroken = createTokenVerifier(settings, { ...external, jwksUrl: `${baseUrl}/broken` });
    expect(await reasonOf(verifyBroken(await signExternal({})))).toBe("jwks_unavailable");
  });

  it("with a typ setting, refuses tokens of another or no typ (an ID token is no access token)", async () => {
    const verifyTyped = createTokenVerifier(settings, { ...external, typ: "at+jwt" });
    const withTyp = (typ: string | undefined) => signExternal({}, privateKey, "key-1", typ);
    expect((await verifyTyped(await withTyp("at+jwt"))).subject).toBe("idp|42");
    expect(await reasonOf(verifyTyped(await withTyp("JWT")))).toBe("malformed");
    expect(await reasonOf(verifyTyped(await withTyp(undefined)))).toBe("malformed");
  });

  it("uses an injected fetch when given one", async () => {
    const fetched: string[] = [];
    const counting: typeof fetch = (input, init) => {
      fetched.push(String(input));
      return fetch(input, init);
    };
    const verifyWithFetch = createTokenVerifier(settings, { ...external, fetch: counting });
    expect((await verifyWithFetch(await signExternal({}))).subject).toBe("idp|42");
    expect(fetched).toEqual([`${baseUrl}/jwks`]);
  });
});
