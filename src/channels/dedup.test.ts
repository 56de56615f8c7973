import { describe, expect, it } from "vitest";
import { createDeduplicator } from "./dedup.ts";

describe("createDeduplicator", () => {
  it("recognises a repeat within the window, and forgets it after", () => {
    let now = 0;
    const dedup = createDeduplicator({ windowMs: 1000, maxEntries: 10, now: () => now });
    expect(dedup.firstSeen("message.text.received:m1")).toBe(true);
    expect(dedup.firstSeen("message.text.received:m1")).toBe(false);
    expect(dedup.firstSeen("message.image.received:m1")).toBe(true);
    now = 1000;
    expect(dedup.firstSeen("message.text.received:m1")).toBe(true);
  });

  it("keeps at most maxEntries ids", () => {
    const dedup = createDeduplicator({ windowMs: 60_000, maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) dedup.firstSeen(`k${i}`);
    expect(dedup.size()).toBeLessThanOrEqual(100);
    expect(dedup.firstSeen("k9999")).toBe(false);
  });
});
