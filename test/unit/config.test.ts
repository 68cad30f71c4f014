import { describe, expect, it } from "vitest";
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from "../../src/config";

/** Settings as a developer's machine has them: ENVIRONMENT has no default, so it is always named. */
const development = (settings: Record<string, string> = {}) => loadConfig({ ENVIRONMENT: "development", ...settings });
const strongSecret = "q8Vd3kP0zX7mN2rT5wY9bC4fH6jL1sA8eG3uI0oK";
const production = { ENVIRONMENT: "production", JWT_SECRET: strongSecret };

describe("config", () => {
  it("applies defaults and treats empty strings as unset", () => {
    const config = development({ LOG_LEVEL: "", PORT: "8080" });
    expect(config).toMatchObject({ LOG_LEVEL: "info", PORT: 8080, MAX_BODY_BYTES: 65_536, ENVIRONMENT: "development", CORS_ORIGINS: [] });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("has time limits by default and names a bad one", () => {
    expect(development()).toMatchObject({ REQUEST_TIMEOUT_MS: 10_000, DB_STATEMENT_TIMEOUT_MS: 5_000, READY_TIMEOUT_MS: 2_000 });
    expect(() => development({ REQUEST_TIMEOUT_MS: "soon" })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => development({ DB_STATEMENT_TIMEOUT_MS: "0" })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
  });

  it("parses the CORS allow-list", () => {
    expect(development({ CORS_ORIGINS: " https://a.example, ,https://b.example" }).CORS_ORIGINS).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
  });

  it("names every bad variable and what is wrong", () => {
    const attempt = () => development({ LOG_LEVEL: "loud", PORT: "http", DATABASE_URL: "mysql://x" });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toMatch(/LOG_LEVEL/);
      expect(message).toMatch(/PORT/);
      expect(message).toMatch(/DATABASE_URL: must be a postgres/);
      expect(message).not.toContain("mysql://x");
    }
  });
});

describe("JWT_SECRET outside development", () => {
  it.each(["production", "preview"])("is required when ENVIRONMENT=%s, and the message names it", (environment) => {
    expect(() => loadConfig({ ENVIRONMENT: environment })).toThrow(/JWT_SECRET: is required/);
  });

  it.each([
    ["short", "too-short"],
    ["the development default", DEVELOPMENT_JWT_SECRET],
    ["low-variety", "a".repeat(40)],
  ])("rejects a %s secret in production", (_, secret) => {
    expect(() => loadConfig({ ENVIRONMENT: "production", JWT_SECRET: secret })).toThrow(/JWT_SECRET: is too weak/);
  });

  it("accepts a strong secret; only an explicit development or test falls back to the development key", () => {
    expect(loadConfig(production).JWT_SECRET).toBe(strongSecret);
    expect(development().JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET);
    expect(loadConfig({ ENVIRONMENT: "test" }).JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it("needs issuer and audience with an external JWKS", () => {
    expect(() => development({ JWT_JWKS_URL: "https://idp.example/jwks.json" })).toThrow(/JWT_JWKS_URL: needs JWT_EXTERNAL_ISSUER/);
  });
});

describe("fail closed", () => {
  it("has no default ENVIRONMENT: unset (a deploy without --env) is refused, naming it, before any fallback applies", () => {
    for (const unset of [{}, { ENVIRONMENT: "" }]) expect(() => loadConfig(unset)).toThrow(/ENVIRONMENT: is required/);
    expect(() => loadConfig({ ENVIRONMENT: "staging" })).toThrow(/ENVIRONMENT/);
  });

  it("Node needs METRICS_TOKEN outside development and test; the Worker, which serves no /metrics, does not", () => {
    for (const environment of ["production", "preview"]) {
      expect(() => loadConfig({ ...production, ENVIRONMENT: environment }, { servesMetrics: true })).toThrow(
        new RegExp(`METRICS_TOKEN: is required when ENVIRONMENT=${environment}`),
      );
    }
    expect(loadConfig({ ...production, METRICS_TOKEN: "a-metrics-token-0123" }, { servesMetrics: true }).METRICS_TOKEN).toBe(
      "a-metrics-token-0123",
    );
    expect(loadConfig(production).METRICS_TOKEN).toBeUndefined();
    expect(loadConfig({ ENVIRONMENT: "test" }, { servesMetrics: true }).METRICS_TOKEN).toBeUndefined();
  });

  it("reports a missing METRICS_TOKEN together with the other problems", () => {
    expect(() => loadConfig({ ENVIRONMENT: "production" }, { servesMetrics: true })).toThrow(/JWT_SECRET: is required.*; METRICS_TOKEN/);
  });
});

describe("external identity provider and public URL", () => {
  const idp = { JWT_EXTERNAL_ISSUER: "https://idp.example/", JWT_EXTERNAL_AUDIENCE: "product-service-api" };

  it("JWT_JWKS_URL must be https outside development and test", () => {
    const plain = { ...idp, JWT_JWKS_URL: "http://idp.example/jwks.json" };
    for (const environment of ["production", "preview"]) {
      expect(() => loadConfig({ ...production, ENVIRONMENT: environment, ...plain })).toThrow(
        new RegExp(`JWT_JWKS_URL: must be an https:// URL when ENVIRONMENT=${environment}`),
      );
    }
    expect(loadConfig({ ...production, ...idp, JWT_JWKS_URL: "https://idp.example/jwks.json" }).JWT_JWKS_URL).toBe(
      "https://idp.example/jwks.json",
    );
    // A JWKS served on loopback in tests and on a laptop.
    expect(loadConfig({ ENVIRONMENT: "test", ...plain }).JWT_JWKS_URL).toBe(plain.JWT_JWKS_URL);
  });

  it("reads JWT_EXTERNAL_TYP, unset by default", () => {
    expect(development().JWT_EXTERNAL_TYP).toBeUndefined();
    expect(development({ JWT_EXTERNAL_TYP: "at+jwt" }).JWT_EXTERNAL_TYP).toBe("at+jwt");
  });

  it("PUBLIC_URL: optional, https outside development and test, no query or fragment, trailing slash dropped", () => {
    expect(development().PUBLIC_URL).toBeUndefined();
    expect(loadConfig({ ...production, PUBLIC_URL: "https://api.example.com/" }).PUBLIC_URL).toBe("https://api.example.com");
    expect(loadConfig({ ...production, PUBLIC_URL: "https://example.com/api" }).PUBLIC_URL).toBe("https://example.com/api");
    expect(() => loadConfig({ ...production, PUBLIC_URL: "http://api.example.com" })).toThrow(/PUBLIC_URL: must be an https/);
    expect(() => development({ PUBLIC_URL: "https://api.example.com/?a=1" })).toThrow(/PUBLIC_URL: must have no query/);
    expect(() => development({ PUBLIC_URL: "ftp://api.example.com" })).toThrow(/PUBLIC_URL/);
    expect(development({ PUBLIC_URL: "http://127.0.0.1:8787" }).PUBLIC_URL).toBe("http://127.0.0.1:8787");
  });
});
