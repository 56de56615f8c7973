import { describe, expect, it } from "vitest";
import { secretMatches } from "./secret.ts";

describe("secretMatches", () => {
  it("matches only the exact secret", () => {
    expect(secretMatches("abc-123", "abc-123")).toBe(true);
    expect(secretMatches("abc-124", "abc-123")).toBe(false);
    expect(secretMatches("abc-1234", "abc-123")).toBe(false);
    expect(secretMatches("", "abc-123")).toBe(false);
    expect(secretMatches(undefined, "abc-123")).toBe(false);
  });

  it("never matches when no secret is configured", () => {
    expect(secretMatches("", "")).toBe(false);
  });
});
