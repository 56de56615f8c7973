/** How many messages a user may send: a bucket of `burst` tokens refilled at `refillPerSecond`. */
export interface RateLimitOptions {
  /** Messages a user may send at once before being slowed down. */
  burst: number;
  /** Sustained rate: tokens added back per second. */
  refillPerSecond: number;
  /**
   * Most users tracked at once. The least recently seen user is forgotten first, which at worst gives that
   * user a fresh bucket: memory stays bounded whatever the number of users.
   */
  maxTrackedUsers: number;
  /** After a "slow down" answer, the user is not told again for this long (ms); default one minute. */
  warnCooldownMs?: number;
  /** Clock, in milliseconds (tests pass a fake one). */
  now?: () => number;
}

/**
 * What to do with one message: handle it, tell the user to slow down (at most once per cooldown), or drop it
 * silently (the user was already told).
 */
export type RateDecision = "allow" | "warn" | "drop";

/** A per-user rate limiter; see {@link createRateLimiter}. */
export interface RateLimiter {
  check(key: string): RateDecision;
  /** Users currently tracked (bounded by `maxTrackedUsers`). */
  size(): number;
}

/** Defaults: bursts of 10 messages, then one message every 2 seconds; 20,000 users tracked. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  burst: 10,
  refillPerSecond: 0.5,
  maxTrackedUsers: 20_000,
};

interface Bucket {
  tokens: number;
  updatedAt: number;
  warnedAt: number;
}

/**
 * Creates a token-bucket rate limiter keyed by user. A flood of 100 messages gets `burst` of them handled (plus
 * what the refill allows), one "slow down" answer, and the rest dropped; other users have their own buckets and
 * are not affected.
 *
 * ```ts
 * const limiter = createRateLimiter(DEFAULT_RATE_LIMIT);
 * if (limiter.check("zalo:123") === "allow") handle(message);
 * ```
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const { burst, refillPerSecond, maxTrackedUsers } = options;
  const now = options.now ?? Date.now;
  const warnCooldownMs = options.warnCooldownMs ?? 60_000;
  // A Map keeps insertion order: re-inserting on every check makes the first key the least recently seen.
  const buckets = new Map<string, Bucket>();

  return {
    check(key) {
      const time = now();
      const bucket = buckets.get(key) ?? {
        tokens: burst,
        updatedAt: time,
        warnedAt: Number.NEGATIVE_INFINITY,
      };
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxTrackedUsers) {
        const oldest = buckets.keys().next();
        if (!oldest.done) buckets.delete(oldest.value);
      }
      bucket.tokens = Math.min(burst, bucket.tokens + ((time - bucket.updatedAt) / 1000) * refillPerSecond);
      bucket.updatedAt = time;
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return "allow";
      }
      if (time - bucket.warnedAt < warnCooldownMs) return "drop";
      bucket.warnedAt = time;
      return "warn";
    },
    size: () => buckets.size,
  };
}
