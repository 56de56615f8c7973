import { createHash, timingSafeEqual } from "node:crypto";

/**
 * Compares a received webhook secret with the expected one in constant time. Both are hashed first, so the
 * comparison takes the same time whatever the lengths and wherever they differ; a missing header never matches.
 */
export function secretMatches(received: string | undefined, expected: string): boolean {
  if (received === undefined || expected === "") return false;
  const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();
  return timingSafeEqual(digest(received), digest(expected));
}
