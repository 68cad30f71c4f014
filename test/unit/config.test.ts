import { describe, expect, it } from "vitest";
import { ConfigError, DEVELOPMENT_JWT_SECRET, loadConfig } from "../../src/config";

describe("config", () => {
  it("applies defaults and treats empty strings as unset", () => {
    const config = loadConfig({ LOG_LEVEL: "", PORT: "8080" });
    expect(config).toMatchObject({ LOG_LEVEL: "info", PORT: 8080, MAX_BODY_BYTES: 65_536, ENVIRONMENT: "development", CORS_ORIGINS: [] });
    expect(config.DATABASE_URL).toBeUndefined();
  });

  it("has time limits by default and names a bad one", () => {
    expect(loadConfig({})).toMatchObject({ REQUEST_TIMEOUT_MS: 10_000, DB_STATEMENT_TIMEOUT_MS: 5_000, READY_TIMEOUT_MS: 2_000 });
    expect(() => loadConfig({ REQUEST_TIMEOUT_MS: "soon" })).toThrow(/REQUEST_TIMEOUT_MS/);
    expect(() => loadConfig({ DB_STATEMENT_TIMEOUT_MS: "0" })).toThrow(/DB_STATEMENT_TIMEOUT_MS/);
  });

  it("parses the CORS allow-list", () => {
    expect(loadConfig({ CORS_ORIGINS: " https://a.example, ,https://b.example" }).CORS_ORIGINS).toEqual([
      "https://a.example",
      "https://b.example",
    ]);
  });

  it("names every bad variable and what is wrong", () => {
    const attempt = () => loadConfig({ LOG_LEVEL: "loud", PORT: "http", DATABASE_URL: "mysql://x" });
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

  it("accepts a strong secret, and development falls back to the development key", () => {
    const secret = "q8Vd3kP0zX7mN2rT5wY9bC4fH6jL1sA8eG3uI0oK";
    expect(loadConfig({ ENVIRONMENT: "production", JWT_SECRET: secret }).JWT_SECRET).toBe(secret);
    expect(loadConfig({}).JWT_SECRET).toBe(DEVELOPMENT_JWT_SECRET);
  });

  it("needs issuer and audience with an external JWKS", () => {
    expect(() => loadConfig({ JWT_JWKS_URL: "https://idp.example/jwks.json" })).toThrow(/JWT_JWKS_URL: needs JWT_EXTERNAL_ISSUER/);
  });
});
