/**
 * Feedback and usage statistics as the desk, the CLI and the console use them: what is kept of an answer, a
 * question or a household is decided here (scrubbed, reduced), and the repositories in
 * `storage/repositories/feedback.ts` store and load it.
 */

import type { DayRange } from "../../domain/dates.ts";
import type { Decision } from "../../domain/decision.ts";
import type { SearchOutcome } from "../../knowledge/types.ts";
import {
  createFeedbackRepository,
  createUsageEventRepository,
  type FeedbackRepository,
  type FeedbackRow,
  type StoreOptions,
  type UsageEventRepository,
} from "../../storage/repositories/feedback.ts";
import type { Async } from "../../shared/maybe-promise.ts";
import type { AppDatabase } from "../../storage/database.ts";
import type { MaybePromise } from "../../shared/maybe-promise.ts";
import { foldDiacritics } from "../../text/vietnamese.ts";
import { scrubPersonalData } from "../../text/personal-data.ts";
import type { FeedbackInput, FeedbackRecord } from "../feedback.ts";
import { scrubStoredQuestion } from "../scrub.ts";
import type { StatsSummary } from "../stats.ts";

export type { AnswerVersions, DayRange, FeedbackInput } from "../feedback.ts";
export { decisionFeedback, searchFeedback } from "../feedback.ts";
export type { StoreOptions } from "../../storage/repositories/feedback.ts";

/** Feedback on answers, as the desk, the console and the CLI use it (see {@link createFeedbackStore}). */
export interface FeedbackStorePort {
  record(input: FeedbackInput): MaybePromise<number>;
  addExpected(id: number, expected: string): MaybePromise<boolean>;
  purgeExpired(): MaybePromise<number>;
  disputed(range?: DayRange): MaybePromise<FeedbackRecord[]>;
}

/** Usage statistics, as the desk, the console and the CLI use them (see {@link createUsageStats}). */
export interface UsageStatsPort {
  recordScreening(decision: Decision): MaybePromise<void>;
  recordSearch(outcome: SearchOutcome, userKey?: string): MaybePromise<void>;
  purgeExpired(): MaybePromise<number>;
  summary(days?: DayRange): MaybePromise<StatsSummary>;
}

/**
 * Feedback on answers. Questions are scrubbed; household facts are kept only for disputed decisions.
 *
 * ```ts
 * const store = createFeedbackStore(openDatabase(":memory:"));
 * const id = store.record({ ...searchFeedback(outcome, question), verdict: "wrong", role: "staff", versions });
 * store.addExpected(id, "khoản 1.2 Mục IV kế hoạch Thái Bình");
 * ```
 */
export function createFeedbackStore(database: AppDatabase, options: StoreOptions = {}) {
  const rows = createFeedbackRepository(database, options);
  return {
    /** Stores one feedback; returns its id (to attach the right answer to it later). */
    record: (input: FeedbackInput): number => rows.insert(feedbackRow(input)),
    /** Attaches the right answer a staff member typed to a disputed feedback; false when there is none. */
    addExpected: (id: number, expected: string): boolean => rows.setExpected(id, scrubPersonalData(expected)),
    /** Unlinks feedback older than the retention period from its user; returns how many. */
    purgeExpired: (): number => rows.purgeExpired(),
    /** Disputed feedback ("Sai", "Chưa rõ"), oldest first, for the export. */
    disputed: (range: DayRange = {}): FeedbackRecord[] => rows.disputed(range),
  };
}

/** {@link createFeedbackStore} over a repository that answers with promises (PostgreSQL). */
export function createAsyncFeedbackStore(rows: Async<FeedbackRepository>): FeedbackStorePort {
  return {
    record: (input) => rows.insert(feedbackRow(input)),
    addExpected: (id, expected) => rows.setExpected(id, scrubPersonalData(expected)),
    purgeExpired: () => rows.purgeExpired(),
    disputed: (range = {}) => rows.disputed(range),
  };
}

/** What is kept of one feedback: the question scrubbed, the household only for a disputed decision. */
function feedbackRow(input: FeedbackInput): FeedbackRow {
  const disputed = input.verdict !== "correct";
  return {
    kind: input.kind,
    verdict: input.verdict,
    role: input.role,
    userKey: input.userKey ?? null,
    question: input.kind === "search" && input.question ? scrubStoredQuestion(input.question) : null,
    household: input.kind === "decision" && disputed && input.household ? input.household : null,
    answer: input.answer,
    rulesVersion: input.versions.rules,
    knowledgeVersion: input.versions.knowledge,
  };
}

/** The SQLite feedback store's own interface (synchronous). */
export type FeedbackStore = ReturnType<typeof createFeedbackStore>;

/**
 * Anonymous usage statistics: screenings and questions, counted, never per person. A question without a
 * good answer is kept (scrubbed hard) with the keyed digest of who asked, for the retention period, so that
 * /xoa reaches it; then both go and only the count stays.
 *
 * ```ts
 * const stats = createUsageStats(database);
 * stats.recordScreening(decision);
 * stats.summary({ from: "2026-03-01" });
 * ```
 */
export function createUsageStats(database: AppDatabase, options: StoreOptions = {}) {
  const events = createUsageEventRepository(database, options);
  return {
    /** Counts one screening: its category and the programmes found eligible. */
    recordScreening: (decision: Decision): void => events.insertScreening(screeningEvent(decision)),
    /**
     * Counts one question; keeps it (scrubbed) only when no passage answered it, linked to `userKey`'s
     * digest so that /xoa finds it. Without a user key the question is not kept, only counted.
     */
    recordSearch(outcome: SearchOutcome, userKey?: string): void {
      const event = searchEvent(outcome, userKey);
      if (event) events.insertSearch(event);
    },
    /** Drops the questions older than the retention period (their counts stay); returns how many. */
    purgeExpired: (): number => events.purgeExpired(),
    /** The aggregate statistics over a day range. */
    summary: (days: DayRange = {}): StatsSummary => summarize(events.counts(days), days),
  };
}

/** {@link createUsageStats} over a repository that answers with promises (PostgreSQL). */
export function createAsyncUsageStats(events: Async<UsageEventRepository>): UsageStatsPort {
  return {
    recordScreening: (decision) => events.insertScreening(screeningEvent(decision)),
    async recordSearch(outcome, userKey) {
      const event = searchEvent(outcome, userKey);
      if (event) await events.insertSearch(event);
    },
    purgeExpired: () => events.purgeExpired(),
    summary: async (days = {}) => summarize(await events.counts(days), days),
  };
}

type UsageEvents = ReturnType<typeof createUsageEventRepository>;

/** What one screening counts: its category and the programmes found eligible. */
function screeningEvent(decision: Decision): Parameters<UsageEvents["insertScreening"]>[0] {
  return {
    category: decision.classification.category,
    basis: decision.classification.basis,
    eligible: decision.programs
      .filter((program) => program.status === "eligible")
      .map((program) => program.id),
  };
}

/** What one question counts; undefined for an invalid one (not counted). */
function searchEvent(
  outcome: SearchOutcome,
  userKey: string | undefined,
): Parameters<UsageEvents["insertSearch"]>[0] | undefined {
  if (outcome.type === "invalid") return undefined;
  const answered = outcome.type === "results";
  const kept = !answered && userKey !== undefined;
  return {
    answered,
    question: kept ? scrubStoredQuestion(outcome.query) : null,
    userKey: kept ? userKey : null,
  };
}

/** The aggregate statistics from the stored counts. */
function summarize(counts: ReturnType<UsageEvents["counts"]>, days: DayRange): StatsSummary {
  // The same question typed with or without diacritics counts once.
  const grouped = new Map<string, { question: string; count: number }>();
  for (const question of counts.unansweredQuestions) {
    if (!question) continue;
    const key = foldDiacritics(question)
      .replace(/[^\p{L}\p{N}]+/gu, " ")
      .trim();
    const entry = grouped.get(key) ?? { question, count: 0 };
    entry.count++;
    grouped.set(key, entry);
  }
  return {
    from: days.from ?? null,
    to: days.to ?? null,
    screenings: counts.perDay.reduce((sum, row) => sum + row.count, 0),
    screeningsPerDay: counts.perDay,
    categories: counts.categories.map((row) => ({
      category: row.category ?? "unknown",
      count: row.count,
    })),
    eligibleProgrammes: counts.eligible,
    searches: counts.searches.reduce((sum, row) => sum + row.count, 0),
    unanswered: counts.searches.filter((row) => !row.answered).reduce((sum, row) => sum + row.count, 0),
    unansweredQuestions: [...grouped.values()].sort((a, b) => b.count - a.count).slice(0, 10),
    feedback: counts.feedback,
  };
}

/** The SQLite usage statistics' own interface (synchronous). */
export type UsageStats = ReturnType<typeof createUsageStats>;
