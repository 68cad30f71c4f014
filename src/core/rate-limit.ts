/**
 * Counts attempts per key. Each call counts one attempt and says whether it is still within the limit;
 * there is no "peek" or "reset" because the Workers rate-limiting binding can only count.
 */
export interface RateLimiter {
  limit(key: string): Promise<{ allowed: boolean; retryAfterSeconds: number }>;
}

export interface MemoryRateLimiterOptions {
  /** Attempts allowed per key per window. */
  limit: number;
  periodSeconds: number;
  /** Bound on remembered keys, so a flood of distinct keys cannot grow memory without end. */
  maxKeys?: number;
  /** Milliseconds since the epoch; injectable for tests. */
  now?: () => number;
}

/** Fixed-window limiter in process memory, for Node (one process: counts are not shared between instances). */
export function createMemoryRateLimiter({
  limit,
  periodSeconds,
  maxKeys = 10_000,
  now = () => Date.now(),
}: MemoryRateLimiterOptions): RateLimiter {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError("limit must be a positive integer");
  if (!(periodSeconds > 0)) throw new RangeError("periodSeconds must be positive");
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError("maxKeys must be a positive integer");
  const periodMs = periodSeconds * 1000;
  // A Map iterates in insertion order and each key is re-inserted when its window starts, so the first
  // entry is always the window that ends soonest: the cheapest one to forget when over the bound.
  const windows = new Map<string, { count: number; endsAt: number }>();

  return {
    async limit(key) {
      const time = now();
      let window = windows.get(key);
      if (!window || time >= window.endsAt) {
        windows.delete(key);
        window = { count: 0, endsAt: time + periodMs };
        windows.set(key, window);
        for (const oldest of windows.keys()) {
          if (windows.size <= maxKeys) break;
          windows.delete(oldest);
        }
      }
      window.count += 1;
      if (window.count <= limit) return { allowed: true, retryAfterSeconds: 0 };
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((window.endsAt - time) / 1000)) };
    },
  };
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
