import { describe, expect, it } from "vitest";
import { createBindingRateLimiter, createFailureBackoff, type FailureBackoff } from "../../src/core/rate-limit";

const clock = (start = 1_700_000_000_000) => {
  let time = start;
  return { now: () => time, advance: (ms: number) => (time += ms) };
};

const failTimes = (backoff: FailureBackoff, key: string, times: number) => {
  for (let i = 0; i < times; i++) backoff.fail(key);
};

describe("failure back-off", () => {
  const options = { freeFailures: 3, baseSeconds: 1, maxSeconds: 60 };

  it("asking never counts: any number of checks without a failure stays allowed", () => {
    const backoff = createFailureBackoff(options);
    for (let i = 0; i < 1000; i++) expect(backoff.check("a")).toEqual({ allowed: true, retryAfterSeconds: 0 });
  });

  it("allows the free failures, then makes the key wait from the last free one on", () => {
    const time = clock();
    const backoff = createFailureBackoff({ ...options, now: time.now });
    failTimes(backoff, "a", 2);
    expect(backoff.check("a").allowed).toBe(true);
    backoff.fail("a");
    expect(backoff.check("a")).toEqual({ allowed: false, retryAfterSeconds: 1 });
    time.advance(1000);
    expect(backoff.check("a").allowed).toBe(true);
  });

  it("doubles the wait with every further failure, up to the maximum", () => {
    const time = clock();
    const backoff = createFailureBackoff({ ...options, now: time.now });
    const waits: number[] = [];
    for (let failure = 1; failure <= 10; failure++) {
      backoff.fail("a");
      const verdict = backoff.check("a");
      waits.push(verdict.retryAfterSeconds);
      time.advance(verdict.retryAfterSeconds * 1000);
    }
    expect(waits).toEqual([0, 0, 1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it("reports the seconds left, rounded up", () => {
    const time = clock();
    const backoff = createFailureBackoff({ ...options, now: time.now });
    failTimes(backoff, "a", 5);
    expect(backoff.check("a").retryAfterSeconds).toBe(4);
    time.advance(2_500);
    expect(backoff.check("a").retryAfterSeconds).toBe(2);
    time.advance(1_499);
    expect(backoff.check("a").retryAfterSeconds).toBe(1);
  });

  it("keeps keys apart", () => {
    const backoff = createFailureBackoff(options);
    failTimes(backoff, "a", 3);
    expect(backoff.check("a").allowed).toBe(false);
    expect(backoff.check("b").allowed).toBe(true);
  });

  it("forgets a key's failures on clear", () => {
    const time = clock();
    const backoff = createFailureBackoff({ ...options, now: time.now });
    failTimes(backoff, "a", 3);
    backoff.clear("a");
    expect(backoff.check("a").allowed).toBe(true);
    // Back to the free failures, not to a doubled wait.
    failTimes(backoff, "a", 2);
    expect(backoff.check("a").allowed).toBe(true);
  });

  it("starts afresh once a key has been quiet for the maximum wait after its last one ended", () => {
    const time = clock();
    const backoff = createFailureBackoff({ ...options, now: time.now });
    failTimes(backoff, "a", 4); // waits 2 s
    time.advance(2_000 + 59_999);
    backoff.fail("a"); // still remembered: the 5th failure waits 4 s
    expect(backoff.check("a").retryAfterSeconds).toBe(4);
    time.advance(4_000 + 60_000);
    backoff.fail("a"); // forgotten: this is the first failure again
    expect(backoff.check("a").allowed).toBe(true);
  });

  it("stays bounded under a flood of distinct keys, forgetting those that failed least recently", () => {
    const backoff = createFailureBackoff({ ...options, freeFailures: 1, maxKeys: 100, now: clock().now });
    backoff.fail("victim");
    for (let i = 0; i < 1000; i++) backoff.fail(`flood-${i}`);
    expect(backoff.check("flood-0").allowed).toBe(true);
    expect(backoff.check("flood-999").allowed).toBe(false);
    expect(backoff.check("victim").allowed).toBe(true);
  });

  it("rejects nonsensical options", () => {
    expect(() => createFailureBackoff({ ...options, freeFailures: 0 })).toThrow(RangeError);
    expect(() => createFailureBackoff({ ...options, baseSeconds: 0 })).toThrow(RangeError);
    expect(() => createFailureBackoff({ ...options, maxSeconds: 0.5 })).toThrow(RangeError);
    expect(() => createFailureBackoff({ ...options, maxKeys: 0 })).toThrow(RangeError);
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
    expect(await limiter.limit("203.0.113.7")).toEqual({ allowed: true, retryAfterSeconds: 0 });
    success = false;
    expect(await limiter.limit("203.0.113.7")).toEqual({ allowed: false, retryAfterSeconds: 60 });
    expect(keys).toEqual(["203.0.113.7", "203.0.113.7"]);
  });
});
