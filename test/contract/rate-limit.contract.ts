import { describe, expect, it } from "vitest";
import { type ContractTarget, uniqueTag } from "./target";

const attempt = (target: ContractTarget, username: string, address: string) =>
  target.as("anonymous")("/api/v1/auth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": address },
    body: new URLSearchParams({ username, password: "wrong password, again" }).toString(),
  });

/** `perAccount` and `perAddress` are the limits the target runs with. */
export function rateLimitContract(target: ContractTarget, limits: { perAccount: number; perAddress: number; label: string }) {
  describe(`login rate limits (${target.runtime}, ${limits.label})`, () => {
    it(`429 with Retry-After after ${limits.perAccount} attempts on one account, from any address`, async () => {
      const account = `limited-${uniqueTag()}@test.example`;
      for (let index = 0; index < limits.perAccount; index++) {
        expect((await attempt(target, account, `203.0.113.${index + 1}`)).status).toBe(401);
      }
      const refused = await attempt(target, account, "203.0.113.200");
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get("content-type")).toBe("application/problem+json");
      expect(((await refused.json()) as { code: string }).code).toBe("rate_limited");
      // Another account is not affected.
      expect((await attempt(target, `other-${uniqueTag()}@test.example`, "203.0.113.201")).status).toBe(401);
    });

    it(`429 after ${limits.perAddress} attempts from one address, whatever the account`, async () => {
      const address = `192.0.2.${Math.floor(Math.random() * 250) + 1}`;
      const tag = uniqueTag();
      for (let index = 0; index < limits.perAddress; index++) {
        expect((await attempt(target, `spray-${index}-${tag}@test.example`, address)).status).toBe(401);
      }
      expect((await attempt(target, `spray-last-${tag}@test.example`, address)).status).toBe(429);
    });
  });
}
