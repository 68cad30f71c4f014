/**
 * Counts attempts per key. Each call counts one attempt and says whether it is still within the limit;
 * there is no "peek" or "reset" because the Workers rate-limiting binding can only count. That makes it fit
 * only for a cap on every attempt (a flood cap), never for "failures only": see {@link createFailureBackoff}.
 */
export interface RateLimiter {
  limit(key: string): Promise<Verdict>;
}

export interface Verdict {
  allowed: boolean;
  retryAfterSeconds: number;
}

/**
 * Wraps the Workers rate-limiting binding (`[[ratelimits]]` in wrangler.toml). The binding does not say when its
 * window ends, so a refusal advises the whole period (Cloudflare allows 10 or 60 seconds).
 */
export function createBindingRateLimiter(binding: RateLimit, periodSeconds: number): RateLimiter {
  return {
    async limit(key) {
      const { success } = await binding.limit({ key });
      return success ? { allowed: true, retryAfterSeconds: 0 } : { allowed: false, retryAfterSeconds: periodSeconds };
    },
  };
}

/**
 * Failures per key with exponential back-off: asking (`check`) costs nothing, only `fail` counts, and
 * `clear` forgets. Needs "check before, record after", which the counting-only binding cannot do, so it
 * lives in memory: per process on Node, per isolate on Workers.
 */
export interface FailureBackoff {
  /** Whether the key may try now, without counting anything. */
  check(key: string): Verdict;
  /** Counts a failure; from the `freeFailures`-th on, the key waits, twice as long each time. */
  fail(key: string): void;
  /** Forgets the key's failures (after a success). */
  clear(key: string): void;
}

export interface FailureBackoffOptions {
  /** Failures before the first wait; the `freeFailures`-th failure starts it. */
  freeFailures: number;
  /** The first wait; each further failure doubles it. */
  baseSeconds: number;
  /** The longest wait. A key quiet for this long after its last wait ended starts afresh. */
  maxSeconds: number;
  /** Bound on remembered keys, so a flood of distinct keys cannot grow memory without end. */
  maxKeys?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** {@link FailureBackoff} in process memory, bounded by forgetting the keys that failed least recently. */
export function createFailureBackoff({
  freeFailures,
  baseSeconds,
  maxSeconds,
  maxKeys = 50_000,
  now = () => Date.now(),
}: FailureBackoffOptions): FailureBackoff {
  if (!Number.isInteger(freeFailures) || freeFailures < 1) throw new RangeError("freeFailures must be a positive integer");
  if (!(baseSeconds > 0) || !(maxSeconds >= baseSeconds)) throw new RangeError("need 0 < baseSeconds <= maxSeconds");
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError("maxKeys must be a positive integer");
  const maxMs = maxSeconds * 1000;
  // A Map iterates in insertion order and `fail` re-inserts its key, so the first entry failed least recently.
  const entries = new Map<string, { failures: number; waitUntil: number }>();
  const current = (key: string, time: number) => {
    const entry = entries.get(key);
    if (entry && time >= entry.waitUntil + maxMs) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  return {
    check(key) {
      const time = now();
      const waitUntil = current(key, time)?.waitUntil ?? 0;
      if (time >= waitUntil) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((waitUntil - time) / 1000)) };
    },
    fail(key) {
      const time = now();
      const failures = (current(key, time)?.failures ?? 0) + 1;
      const waitMs = failures < freeFailures ? 0 : Math.min(maxMs, baseSeconds * 1000 * 2 ** (failures - freeFailures));
      entries.delete(key);
      entries.set(key, { failures, waitUntil: time + waitMs });
      for (const oldest of entries.keys()) {
        if (entries.size <= maxKeys) break;
        entries.delete(oldest);
      }
    },
    clear(key) {
      entries.delete(key);
    },
  };
}
