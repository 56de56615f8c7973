import { describe, expect, it } from "vitest";
import { backoffDelay, sleep } from "./backoff.ts";

describe("backoffDelay", () => {
  const options = { initialMs: 1000, maxMs: 30_000 };

  it("doubles from the initial delay and never exceeds the bound", () => {
    expect([1, 2, 3, 4, 5, 6, 50, 10_000].map((a) => backoffDelay(a, options, () => 1))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000,
    ]);
  });

  it("jitters between half and all of the delay", () => {
    expect(backoffDelay(3, options, () => 0)).toBe(2000);
    expect(backoffDelay(3, options, () => 0.5)).toBe(3000);
  });
});

describe("sleep", () => {
  it("ends early when aborted", async () => {
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 10);
    await sleep(10_000, controller.signal);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
