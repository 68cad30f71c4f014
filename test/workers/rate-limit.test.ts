import { describe, expect, it } from "vitest";
import { rateLimitContract } from "../contract/rate-limit.contract";
import { createWorkerTarget } from "./worker-target";

// As deployed: the in-isolate back-off with its defaults (5 per account and address, 20 per address), plus
// wrangler.toml's LOGIN_ADDRESS_LIMITER binding capping every attempt per address (60 a minute).
rateLimitContract(createWorkerTarget(), { perAccount: 5, perAddress: 20, label: "with the flood-cap binding" });

// Without the binding only the back-off limits, from the LOGIN_FAILURES_* settings.
rateLimitContract(
  createWorkerTarget({ LOGIN_ADDRESS_LIMITER: undefined, LOGIN_FAILURES_PER_ACCOUNT: "2", LOGIN_FAILURES_PER_ADDRESS: "6" }),
  { perAccount: 2, perAddress: 6, label: "without the binding" },
);

describe("login flood cap (workers)", () => {
  it("asks the binding about every attempt, keyed by address, and answers its refusal with 429 and its period", async () => {
    const keys: string[] = [];
    const refusing: RateLimit = {
      async limit({ key }) {
        keys.push(key);
        return { success: false };
      },
    };
    const target = createWorkerTarget({ LOGIN_ADDRESS_LIMITER: refusing });
    const response = await target.as("anonymous")("/api/v1/auth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "cf-connecting-ip": "2001:db8::f100d" },
      body: new URLSearchParams({ username: "viewer@test.example", password: "whatever it is" }).toString(),
    });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("60");
    expect(keys).toEqual(["2001:db8::f100d"]);
  });
});
