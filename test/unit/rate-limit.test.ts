import { describe, expect, it } from "vitest";
import { createBindingRateLimiter, createMemoryRateLimiter } from "../../src/core/rate-limit";

const clock = (start = 1_700_000_000_000) => {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
};

describe("memory rate limiter", () => {
  it("allows the limit, then refuses with the seconds left in the window", async () => {
    const time = clock();
    const limiter = createMemoryRateLimiter({ limit: 3, periodSeconds: 60, now: time.now });
    for (let i = 0; i < 3; i++) expect(await limiter.limit("a")).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect(await limiter.limit("a")).toEqual({ allowed: false, retryAfterSeconds: 60 });
    time.advance(20_500);
    expect(await limiter.limit("a")).toEqual({ allowed: false, retryAfterSeconds: 40 });
    time.advance(39_300);
    expect(await limiter.limit("a")).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });

  it("counts keys separately", async () => {
    const limiter = createMemoryRateLimiter({ limit: 1, periodSeconds: 60 });
    expect((await limiter.limit("a")).allowed).toBe(true);
    expect((await limiter.limit("a")).allowed).toBe(false);
    expect((await limiter.limit("b")).allowed).toBe(true);
  });

  it("starts a fresh window once the period has passed", async () => {
    const time = clock();
    const limiter = createMemoryRateLimiter({ limit: 2, periodSeconds: 10, now: time.now });
    await limiter.limit("a");
    await limiter.limit("a");
    expect((await limiter.limit("a")).allowed).toBe(false);
    time.advance(10_000);
    expect(await limiter.limit("a")).toEqual({ allowed: true, retryAfterSeconds: 0 });
    expect((await limiter.limit("a")).allowed).toBe(true);
    expect((await limiter.limit("a")).allowed).toBe(false);
  });

  it("forgets the oldest windows beyond maxKeys", async () => {
    const time = clock();
    const limiter = createMemoryRateLimiter({ limit: 1, periodSeconds: 60, maxKeys: 3, now: time.now });
    for (const key of ["a", "b", "c"]) {
      await limiter.limit(key);
      time.advance(1000);
    }
    // All three are remembered and refused.
    for (const key of ["a", "b", "c"]) expect((await limiter.limit(key)).allowed).toBe(false);
    await limiter.limit("d");
    // "a" was the oldest window and was dropped to stay within 3 keys; "b" and "c" are still counted.
    expect((await limiter.limit("a")).allowed).toBe(true);
    expect((await limiter.limit("c")).allowed).toBe(false);
  });

  it("stays bounded under a flood of distinct keys", async () => {
    const limiter = createMemoryRateLimiter({ limit: 1, periodSeconds: 60, maxKeys: 100 });
    await limiter.limit("victim");
    for (let i = 0; i < 1000; i++) await limiter.limit(`flood-${i}`);
    // Only the last 100 keys are remembered: the first flood key is gone, the last is still refused.
    expect((await limiter.limit("flood-0")).allowed).toBe(true);
    expect((await limiter.limit("flood-999")).allowed).toBe(false);
  });

  it("rejects nonsensical options", () => {
    expect(() => createMemoryRateLimiter({ limit: 0, periodSeconds: 60 })).toThrow(RangeError);
    expect(() => createMemoryRateLimiter({ limit: 1, periodSeconds: 0 })).toThrow(RangeError);
    expect(() => createMemoryRateLimiter({ limit: 1, periodSeconds: 60, maxKeys: 0 })).toThrow(RangeError);
  });
});

describe("binding rate limiter", () => {
  it("passes the key to the binding and maps its answer", async () => {
    const keys: string[] = [];
    let success = true;
    const limiter = createBindingRateLimiter(
      {
        async limit({ key }) {
          keys.push(key);
          return { success };
        },
      },
      60,
    );
    expect(await limiter.limit("login:a@example.com")).toEqual({ allowed: true, retryAfterSeconds: 0 });
    success = false;
    expect(await limiter.limit("login:a@example.com")).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(keys).toEqual(["login:a@example.com", "login:a@example.com"]);
  });
});
