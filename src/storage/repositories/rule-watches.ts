import { eq, isNull, lt } from "drizzle-orm";
import { addDays, vietnamDate } from "../../domain/dates.ts";
import type { Decision } from "../../domain/decision.ts";
import { decide } from "../../domain/eligibility.ts";
import { readStoredHousehold, storeHousehold, type HouseholdInput } from "../../domain/household.ts";
import type { PolicyKnowledge } from "../../domain/policy.ts";
import {
  decisionChanges,
  renderChangeNotice,
  watchSummary,
  type WatchSummary,
} from "../../staff/rule-watch.ts";
import type { AppDatabase } from "../database.ts";
import { ruleWatches } from "../schema/rule-watches.ts";

/** How long a watch lasts after the opt-in. */
export const WATCH_DAYS = 365;

/** A notice to send: to whom, and the text. */
export interface ChangeNotice {
  userKey: string;
  text: string;
}

/**
 * A notice not yet remembered as told: call `told()` once it was sent, or `gone()` when the channel says the
 * user can no longer be reached (they blocked the bot): the watch and its household are then deleted, since
 * nothing could ever be told.
 */
export interface PendingNotice extends ChangeNotice {
  told(): void;
  gone(): void;
}

/**
 * The opt-ins "Báo cho tôi khi chính sách thay đổi" (table `rule_watches`, migrations 0004 and 0005). A row
 * is found by the keyed digest of the user key; the user key itself is kept sealed, for the notice. Rows
 * stored before sealing are sealed when the store opens.
 *
 * ```ts
 * const watches = createRuleWatchStore(database);
 * watches.watch("zalo:abc", household, decision, versions.rules);   // at the end of a check
 * watches.unwatch("zalo:abc");                                        // /xoa
 * for (const notice of watches.check(policy, versions.rules)) send(notice.userKey, notice.text);  // daily
 * ```
 */
export function createRuleWatchStore(database: AppDatabase, options: { now?: () => number } = {}) {
  const { db } = database;
  const today = (): string => vietnamDate((options.now ?? Date.now)());
  const keys = database.userKeys;
  const digest = (userKey: string): string => keys.digest(userKey);
  sealOlderRows();
  return {
    /** Records (or renews) an opt-in with the household and what its decision said. */
    watch(userKey: string, household: HouseholdInput, decision: Decision, rulesVersion: string): void {
      const { assessedOn: _date, ...facts } = household;
      const day = today();
      const row = {
        userKey: digest(userKey),
        address: keys.seal(userKey),
        household: storeHousehold(facts),
        lastSummary: watchSummary(decision),
        rulesVersion,
        createdOn: day,
        checkedOn: day,
        expiresOn: addDays(day, WATCH_DAYS),
      };
      db.insert(ruleWatches).values(row).onConflictDoUpdate({ target: ruleWatches.userKey, set: row }).run();
    },
    /** Deletes a user's watch (/xoa); true when there was one. */
    unwatch(userKey: string): boolean {
      return (
        db
          .delete(ruleWatches)
          .where(eq(ruleWatches.userKey, digest(userKey)))
          .run().changes > 0
      );
    },
    /** Number of watches in force. */
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
    /**
     * Re-runs every watched household under the rules in force today, returns a notice for each whose
     * decision changed, and remembers the new decision (so a change is told once). Expired watches are
     * deleted first. `dryRun` changes nothing.
     */
    check(policy: PolicyKnowledge, rulesVersion: string, options: { dryRun?: boolean } = {}): ChangeNotice[] {
      return pending(policy, rulesVersion, !options.dryRun).map(({ told, gone: _gone, ...notice }) => {
        if (!options.dryRun) told();
        return notice;
      });
    },
    /**
     * Like {@link check}, but a changed decision is remembered only when `told()` is called, after the
     * notice was sent: a notice that could not be sent (channel down, not running) comes again next time.
     */
    pending(policy: PolicyKnowledge, rulesVersion: string): PendingNotice[] {
      return pending(policy, rulesVersion, true);
    },
  };

  function pending(policy: PolicyKnowledge, rulesVersion: string, write: boolean): PendingNotice[] {
    const day = today();
    if (write) db.delete(ruleWatches).where(lt(ruleWatches.expiresOn, day)).run();
    const notices: PendingNotice[] = [];
    for (const row of db.select().from(ruleWatches).all()) {
      if (row.expiresOn < day) continue;
      // Sealed with another secret (USER_KEY_SECRET rotated): the account cannot be reached any more.
      const address = row.address ? keys.open(row.address) : null;
      if (address === null) continue;
      // Stored by an older release or edited by hand: checked like any input before it is decided on.
      const household = readStoredHousehold(row.household, {
        assessedOn: day,
        indicatorIds: policy.indicatorIds,
      });
      if (!household) {
        // Nothing could ever be told: the watch goes.
        if (write) db.delete(ruleWatches).where(eq(ruleWatches.userKey, row.userKey)).run();
        continue;
      }
      const decision = decide(household, policy);
      const remember = (): void => {
        db.update(ruleWatches)
          .set({ lastSummary: watchSummary(decision), rulesVersion, checkedOn: day })
          .where(eq(ruleWatches.userKey, row.userKey))
          .run();
      };
      const changes = decisionChanges(row.lastSummary as WatchSummary, decision, policy.kinds);
      if (changes.length > 0)
        notices.push({
          userKey: address,
          text: renderChangeNotice(changes, day),
          told: remember,
          gone: () => void db.delete(ruleWatches).where(eq(ruleWatches.userKey, row.userKey)).run(),
        });
      else if (write) remember();
    }
    return notices;
  }

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

/** The watch store's interface. */
export type RuleWatchStore = ReturnType<typeof createRuleWatchStore>;
