import { describe, expect, it } from "vitest";
import { createRateLimiter } from "./rate-limit.ts";

describe("createRateLimiter", () => {
  const clock = () => {
    let now = 0;
    return { now: () => now, advance: (ms: number) => (now += ms) };
  };

  it("allows a burst, warns once, then drops, and refills over time", () => {
    const time = clock();
    const limiter = createRateLimiter({ burst: 3, refillPerSecond: 1, maxTrackedUsers: 10, now: time.now });
    const decisions = Array.from({ length: 6 }, () => limiter.check("u"));
    expect(decisions).toEqual(["allow", "allow", "allow", "warn", "drop", "drop"]);
    time.advance(1000);
    expect(limiter.check("u")).toBe("allow");
    expect(limiter.check("u")).toBe("drop");
  });

  it("warns again only after the cooldown", () => {
    const time = clock();
    const limiter = createRateLimiter({
      burst: 1,
      refillPerSecond: 0,
      maxTrackedUsers: 10,
      warnCooldownMs: 5000,
      now: time.now,
    });
    expect([limiter.check("u"), limiter.check("u"), limiter.check("u")]).toEqual(["allow", "warn", "drop"]);
    time.advance(4999);
    expect(limiter.check("u")).toBe("drop");
    time.advance(1);
    expect(limiter.check("u")).toBe("warn");
  });

  it("gives each user their own bucket", () => {
    const limiter = createRateLimiter({ burst: 1, refillPerSecond: 0, maxTrackedUsers: 10 });
    expect(limiter.check("a")).toBe("allow");
    expect(limiter.check("a")).toBe("warn");
    expect(limiter.check("b")).toBe("allow");
  });

  it("stays within its bound across 10,000 users, forgetting the least recently seen", () => {
    const limiter = createRateLimiter({ burst: 1, refillPerSecond: 0, maxTrackedUsers: 1000 });
    for (let i = 0; i < 10_000; i++) limiter.check(`user${i}`);
    expect(limiter.size()).toBe(1000);
    expect(limiter.check("user9999")).toBe("warn"); // still tracked
    expect(limiter.check("user0")).toBe("allow"); // forgotten, fresh bucket
  });
});
