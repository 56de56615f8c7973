import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/**
 * Returns a checker comparing a received webhook secret with `expected` in constant time. Both sides are hashed,
 * so the comparison takes the same time whatever the lengths and wherever they differ; a missing header never
 * matches, and neither does anything when no secret is configured.
 *
 * ```ts
 * const matches = createSecretCheck(config.zalo.webhookSecret);
 * if (!matches(c.req.header("X-Bot-Api-Secret-Token"))) return c.json({ ok: false }, 401);
 * ```
 */
export function createSecretCheck(expected: string): (received: string | undefined) => boolean {
  const wanted = digest(expected);
  return (received) => received !== undefined && expected !== "" && timingSafeEqual(digest(received), wanted);
}

/** One-off form of {@link createSecretCheck}. */
export function secretMatches(received: string | undefined, expected: string): boolean {
  return createSecretCheck(expected)(received);
}
