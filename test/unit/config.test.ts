import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../src/config";

describe("config", () => {
  it("applies defaults and treats empty strings as unset", () => {
    const config = loadConfig({ LOG_LEVEL: "", PORT: "8080" });
    expect(config).toMatchObject({ LOG_LEVEL: "info", PORT: 8080, MAX_BODY_BYTES: 65_536, ENVIRONMENT: "development", CORS_ORIGINS: [] });
    expect(config.DATABASE_URL).toBeUndefined();
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
