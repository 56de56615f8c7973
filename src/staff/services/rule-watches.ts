/**
 * Rule-change notices: the opt-ins are stored by `storage/repositories/rule-watches.ts`; here each watched
 * household is parsed, decided again under the rules in force, compared with what its last decision said,
 * and a notice is written for each that changed.
 */

import type { Decision } from "../../domain/decision.ts";
import { decide } from "../../domain/eligibility.ts";
import { readStoredHousehold, type HouseholdInput } from "../../domain/household.ts";
import type { PolicyKnowledge } from "../../domain/policy.ts";
import type { AppDatabase } from "../../storage/database.ts";
import type { Async, MaybePromise } from "../../shared/maybe-promise.ts";
import {
  createRuleWatchRepository,
  type RuleWatchRepository,
} from "../../storage/repositories/rule-watches.ts";
import { decisionChanges, renderChangeNotice, watchSummary, type WatchSummary } from "../rule-watch.ts";

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
  told(): MaybePromise<void>;
  gone(): MaybePromise<void>;
}

/** The opt-ins, as the desk, the CLI and `serve` use them (see {@link createRuleWatchStore}). */
export interface RuleWatchStorePort {
  watch(
    userKey: string,
    household: HouseholdInput,
    decision: Decision,
    rulesVersion: string,
  ): MaybePromise<void>;
  unwatch(userKey: string): MaybePromise<boolean>;
  count(): MaybePromise<number>;
  has(userKey: string): MaybePromise<boolean>;
  check(
    policy: PolicyKnowledge,
    rulesVersion: string,
    options?: { dryRun?: boolean },
  ): MaybePromise<ChangeNotice[]>;
  pending(policy: PolicyKnowledge, rulesVersion: string): MaybePromise<PendingNotice[]>;
}

/**
 * The opt-ins "Báo cho tôi khi chính sách thay đổi", and the notices they bring.
 *
 * ```ts
 * const watches = createRuleWatchStore(database);
 * watches.watch("zalo:abc", household, decision, versions.rules);   // at the end of a check
 * watches.unwatch("zalo:abc");                                        // /xoa
 * for (const notice of watches.check(policy, versions.rules)) send(notice.userKey, notice.text);  // daily
 * ```
 */
export function createRuleWatchStore(database: AppDatabase, options: { now?: () => number } = {}) {
  const rows = createRuleWatchRepository(database, options);
  return {
    /** Records (or renews) an opt-in with the household and what its decision said. */
    watch(userKey: string, household: HouseholdInput, decision: Decision, rulesVersion: string): void {
      rows.save(userKey, household, watchSummary(decision), rulesVersion);
    },
    /** Deletes a user's watch (/xoa); true when there was one. */
    unwatch: (userKey: string): boolean => rows.remove(userKey),
    /** Number of watches in force. */
    count: (): number => rows.count(),
    /** True when the user has a watch. */
    has: (userKey: string): boolean => rows.has(userKey),
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
    pending(policy: PolicyKnowledge, rulesVersion: string): SyncNotice[] {
      return pending(policy, rulesVersion, true);
    },
  };

  function pending(policy: PolicyKnowledge, rulesVersion: string, write: boolean): SyncNotice[] {
    const day = rows.today();
    if (write) rows.deleteExpired(day);
    const notices: SyncNotice[] = [];
    for (const watch of rows.inForce(day)) {
      const outcome = reconsider(watch, policy, day);
      if (!outcome) {
        // Nothing could ever be told: the watch goes.
        if (write) rows.delete(watch.key);
        continue;
      }
      const remember = (): void => rows.remember(watch.key, outcome.summary, rulesVersion, day);
      if (outcome.text !== undefined)
        notices.push({
          userKey: watch.userKey,
          text: outcome.text,
          told: remember,
          gone: () => void rows.delete(watch.key),
        });
      else if (write) remember();
    }
    return notices;
  }
}

/** {@link createRuleWatchStore} over a repository that answers with promises (PostgreSQL). */
export function createAsyncRuleWatchStore(
  rows: Omit<Async<RuleWatchRepository>, "today"> & Pick<RuleWatchRepository, "today">,
): RuleWatchStorePort {
  async function pending(
    policy: PolicyKnowledge,
    rulesVersion: string,
    write: boolean,
  ): Promise<PendingNotice[]> {
    const day = rows.today();
    if (write) await rows.deleteExpired(day);
    const notices: PendingNotice[] = [];
    for (const watch of await rows.inForce(day)) {
      const outcome = reconsider(watch, policy, day);
      if (!outcome) {
        if (write) await rows.delete(watch.key);
        continue;
      }
      const remember = (): Promise<void> => rows.remember(watch.key, outcome.summary, rulesVersion, day);
      if (outcome.text !== undefined)
        notices.push({
          userKey: watch.userKey,
          text: outcome.text,
          told: remember,
          gone: async () => void (await rows.delete(watch.key)),
        });
      else if (write) await remember();
    }
    return notices;
  }
  return {
    watch: (userKey, household, decision, rulesVersion) =>
      rows.save(userKey, household, watchSummary(decision), rulesVersion),
    unwatch: (userKey) => rows.remove(userKey),
    count: () => rows.count(),
    has: (userKey) => rows.has(userKey),
    async check(policy, rulesVersion, options = {}) {
      const notices = await pending(policy, rulesVersion, !options.dryRun);
      const told: ChangeNotice[] = [];
      for (const { told: remember, gone: _gone, ...notice } of notices) {
        if (!options.dryRun) await remember();
        told.push(notice);
      }
      return told;
    },
    pending: (policy, rulesVersion) => pending(policy, rulesVersion, true),
  };
}

/**
 * A watched household decided again under the rules in force on `day`: its new summary, and the notice's text
 * when its decision changed. Undefined when the stored household cannot be read (nothing could ever be told).
 */
function reconsider(
  watch: { household: unknown; lastSummary: unknown },
  policy: PolicyKnowledge,
  day: string,
): { summary: WatchSummary; text?: string } | undefined {
  // Stored by an older release or edited by hand: checked like any input before it is decided on.
  const household = readStoredHousehold(watch.household, {
    assessedOn: day,
    indicatorIds: policy.indicatorIds,
  });
  if (!household) return undefined;
  const decision = decide(household, policy);
  const changes = decisionChanges(watch.lastSummary as WatchSummary, decision, policy.kinds);
  return {
    summary: watchSummary(decision),
    ...(changes.length > 0 ? { text: renderChangeNotice(changes, day) } : {}),
  };
}

/** A {@link PendingNotice} of the SQLite store: remembered at once. */
type SyncNotice = ChangeNotice & { told(): void; gone(): void };

/** The SQLite watch store's own interface (synchronous). */
export type RuleWatchStore = ReturnType<typeof createRuleWatchStore>;
