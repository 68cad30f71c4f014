import { describe, expect, it } from "vitest";
import type { ContractTarget } from "./target";

/** The target must run with CORS_ORIGINS=https://app.example. */
export function corsContract(target: ContractTarget) {
  describe(`CORS allow-list (${target.runtime})`, () => {
    it("answers a preflight from an allowed origin, without credentials", async () => {
      const response = await target.as("anonymous")("/api/v1/users", {
        method: "OPTIONS",
        headers: {
          origin: "https://app.example",
          "access-control-request-method": "POST",
          "access-control-request-headers": "authorization, content-type",
        },
      });
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect(response.headers.get("access-control-allow-methods")).toContain("POST");
      expect(response.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
      expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    });

    it("exposes ETag and Location to an allowed origin on real requests", async () => {
      const response = await target.as("viewer")("/api/v1/users/me", { headers: { origin: "https://app.example" } });
      expect(response.status).toBe(200);
      expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
      expect(response.headers.get("access-control-expose-headers")).toContain("ETag");
      expect(response.headers.get("vary")?.toLowerCase()).toContain("origin");
    });

    it("grants nothing to an origin outside the list", async () => {
      const preflight = await target.as("anonymous")("/api/v1/users", {
        method: "OPTIONS",
        headers: { origin: "https://evil.example", "access-control-request-method": "DELETE" },
      });
      expect(preflight.headers.get("access-control-allow-origin")).toBeNull();
      const simple = await target.as("viewer")("/api/v1/users/me", { headers: { origin: "https://evil.example" } });
      expect(simple.headers.get("access-control-allow-origin")).toBeNull();
    });
  });
}
