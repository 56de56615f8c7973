/** Remembers recently seen delivery ids for a short window; see {@link createDeduplicator}. */
export interface Deduplicator {
  /** True the first time `key` is seen within the window (and records it); false for a repeat. */
  firstSeen(key: string): boolean;
  /** Ids currently remembered (bounded by `maxEntries`). */
  size(): number;
}

/** Options of {@link createDeduplicator}. */
export interface DeduplicatorOptions {
  /** How long an id is remembered, in milliseconds. */
  windowMs: number;
  /** Most ids remembered; the oldest are forgotten first. */
  maxEntries: number;
  now?: () => number;
}

/** Defaults: ten minutes, 50,000 ids (a few MB at most). */
export const DEFAULT_DEDUP: DeduplicatorOptions = { windowMs: 10 * 60_000, maxEntries: 50_000 };

/**
 * Creates a de-duplicator for repeated webhook deliveries (Zalo may deliver the same event twice; Telegram
 * re-sends an update it thinks was not acknowledged). Entries are kept in arrival order, so expiry and the size
 * bound both drop from the front.
 *
 * ```ts
 * const dedup = createDeduplicator(DEFAULT_DEDUP);
 * if (!dedup.firstSeen(`${update.event_name}:${update.message.message_id}`)) return; // a repeat
 * ```
 */
export function createDeduplicator(options: DeduplicatorOptions): Deduplicator {
  const now = options.now ?? Date.now;
  const expiries = new Map<string, number>();
  return {
    firstSeen(key) {
      const time = now();
      for (const [oldKey, expiresAt] of expiries) {
        if (expiresAt > time && expiries.size < options.maxEntries) break;
        expiries.delete(oldKey);
      }
      if (expiries.has(key)) return false;
      expiries.set(key, time + options.windowMs);
      return true;
    },
    size: () => expiries.size,
  };
}
