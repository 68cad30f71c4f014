import { afterAll, afterEach, describe, expect, it } from "vitest";
import { DEFAULT_PASSWORD_HASH_CONCURRENCY, limitPasswordHashing } from "../../src/core/auth/password";
import { rateLimitContract } from "../contract/rate-limit.contract";
import { json, uniqueTag, userInput } from "../contract/target";
import { createNodeTarget } from "./app-target";

// The Node runtime's in-memory back-off, with small limits so the test stays short.
const target = createNodeTarget({ LOGIN_FAILURES_PER_ACCOUNT: "3", LOGIN_FAILURES_PER_ADDRESS: "8" });
afterAll(() => target.database.close());

rateLimitContract(target, { perAccount: 3, perAddress: 8, label: "in-memory back-off" });

describe("password hashing cap (node)", () => {
  afterEach(() => limitPasswordHashing(DEFAULT_PASSWORD_HASH_CONCURRENCY));

  it("answers 503 service_unavailable with Retry-After past the cap, to logins and user creation alike", async () => {
    limitPasswordHashing(1);
    const tag = uniqueTag();
    const login = (address: string) =>
      target.as("anonymous")("/api/v1/auth/token", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": address },
        body: new URLSearchParams({ username: `nobody-${tag}@test.example`, password: "wrong password, again" }).toString(),
      });
    // Several at once (each address its own, so no login limit interferes); with a cap of one, some must overlap.
    const responses = await Promise.all([
      ...["a", "b", "c", "d", "e", "f"].map((network) => login(`2001:db8:ca9:${network}::1`)),
      target.fetch("/api/v1/users", json(userInput(`cap-${tag}`))),
    ]);
    const refused = responses.filter((response) => response.status === 503);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const response of refused) {
      expect(response.headers.get("retry-after")).toBe("1");
      expect(response.headers.get("content-type")).toBe("application/problem+json");
      expect(((await response.json()) as { code: string }).code).toBe("service_unavailable");
    }
    // Nothing else went wrong: each other answer is the usual one.
    expect(responses.every((response) => [401, 201, 503].includes(response.status))).toBe(true);
  });
});
