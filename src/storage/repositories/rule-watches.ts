import { eq, isNull, lt } from "drizzle-orm";
import { addDays, vietnamDate } from "../../domain/dates.ts";
import { storeHousehold, type HouseholdInput } from "../../domain/household.ts";
import type { AppDatabase } from "../database.ts";
import { ruleWatches } from "../schema/rule-watches.ts";

/** How long a watch lasts after the opt-in. */
export const WATCH_DAYS = 365;

/** A watch in force, as loaded: its row key, the account to tell, the stored household and summary. */
export interface StoredWatch {
  /** The row's key (the keyed digest of the user key), for {@link RuleWatchRepository.remember} and `delete`. */
  key: string;
  /** The user key, unsealed. */
  userKey: string;
  /** The household as stored (`{ format, household }`): parse it before deciding on it. */
  household: unknown;
  /** What the last decision said, as stored. */
  lastSummary: unknown;
}

/**
 * The opt-ins "Báo cho tôi khi chính sách thay đổi" (table `rule_watches`, migrations 0004 and 0005): stored
 * and loaded, nothing decided here (`staff/services/rule-watches.ts` re-runs the decisions). A row is found
 * by the keyed digest of the user key; the user key itself is kept sealed, for the notice. Rows stored
 * before sealing are sealed when the repository opens.
 */
export function createRuleWatchRepository(database: AppDatabase, options: { now?: () => number } = {}) {
  const { db } = database;
  const keys = database.userKeys;
  const digest = (userKey: string): string => keys.digest(userKey);
  const today = (): string => vietnamDate((options.now ?? Date.now)());
  const remove = (key: string): boolean =>
    db.delete(ruleWatches).where(eq(ruleWatches.userKey, key)).run().changes > 0;
  sealOlderRows();
  return {
    /** Today in Vietnam (the repository's clock). */
    today,
    /** Records (or renews, for {@link WATCH_DAYS}) an opt-in: the household without its date, and the summary. */
    save(userKey: string, household: HouseholdInput, lastSummary: unknown, rulesVersion: string): void {
      const { assessedOn: _date, ...facts } = household;
      const day = today();
      const row = {
        userKey: digest(userKey),
        address: keys.seal(userKey),
        household: storeHousehold(facts),
        lastSummary,
        rulesVersion,
        createdOn: day,
        checkedOn: day,
        expiresOn: addDays(day, WATCH_DAYS),
      };
      db.insert(ruleWatches).values(row).onConflictDoUpdate({ target: ruleWatches.userKey, set: row }).run();
    },
    /** Deletes a user's watch; true when there was one. */
    remove(userKey: string): boolean {
      return remove(digest(userKey));
    },
    /** Deletes the watch with this row key; true when there was one. */
    delete: remove,
    /** Number of watches stored. */
    count(): number {
      return db.select({ key: ruleWatches.userKey }).from(ruleWatches).all().length;
    },
    /** True when the user has a watch. */
    has(userKey: string): boolean {
      return (
        db
          .select({ key: ruleWatches.userKey })
          .from(ruleWatches)
          .where(eq(ruleWatches.userKey, digest(userKey)))
          .get() !== undefined
      );
    },
    /** Deletes the watches that ended before today. */
    deleteExpired(day: string = today()): void {
      db.delete(ruleWatches).where(lt(ruleWatches.expiresOn, day)).run();
    },
    /**
     * The watches in force today whose account can still be reached (a row sealed with another secret, after
     * USER_KEY_SECRET was rotated, cannot).
     */
    inForce(day: string = today()): StoredWatch[] {
      const watches: StoredWatch[] = [];
      for (const row of db.select().from(ruleWatches).all()) {
        if (row.expiresOn < day) continue;
        const address = row.address ? keys.open(row.address) : null;
        if (address === null) continue;
        watches.push({
          key: row.userKey,
          userKey: address,
          household: row.household,
          lastSummary: row.lastSummary,
        });
      }
      return watches;
    },
    /** Remembers what the decision of a watch says now, checked on `day`. */
    remember(key: string, lastSummary: unknown, rulesVersion: string, day: string = today()): void {
      db.update(ruleWatches)
        .set({ lastSummary, rulesVersion, checkedOn: day })
        .where(eq(ruleWatches.userKey, key))
        .run();
    },
  };

  /** Rows written before user keys were sealed hold the user key in clear: digest and seal them. */
  function sealOlderRows(): void {
    const older = db
      .select({ key: ruleWatches.userKey })
      .from(ruleWatches)
      .where(isNull(ruleWatches.address))
      .all();
    if (older.length === 0) return;
    database.sqlite.transaction(() => {
      for (const { key } of older) {
        db.update(ruleWatches)
          .set({ userKey: digest(key), address: keys.seal(key) })
          .where(eq(ruleWatches.userKey, key))
          .run();
      }
    })();
    database.checkpoint();
  }
}

/** The rule-watch repository's interface. */
export type RuleWatchRepository = ReturnType<typeof createRuleWatchRepository>;
