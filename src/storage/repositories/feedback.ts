import { and, asc, eq, getTableColumns, gte, inArray, isNotNull, lt, lte, sql, type SQL } from "drizzle-orm";
import { vietnamDate } from "../../domain/dates.ts";
import type { Decision } from "../../domain/decision.ts";
import { readStoredHousehold, storeHousehold, type HouseholdInput } from "../../domain/household.ts";
import type { SearchOutcome } from "../../knowledge/types.ts";
import {
  decisionAnswerRecord,
  scrubPersonalData,
  searchAnswerRecord,
  type DayRange,
  type FeedbackInput,
  type FeedbackRecord,
} from "../../staff/feedback.ts";

export type { AnswerVersions, DayRange, FeedbackInput } from "../../staff/feedback.ts";
import type { StatsSummary } from "../../staff/stats.ts";
import { scrubStoredQuestion } from "../../staff/scrub.ts";
import { addDays } from "../../domain/dates.ts";
import { foldDiacritics } from "../../text/vietnamese.ts";
import type { AppDatabase } from "../database.ts";
import { feedback, usageEvents } from "../schema/feedback.ts";

/** What a knowledge-base answer contributes to its feedback (small enough to keep in a session). */
export function searchFeedback(
  outcome: SearchOutcome,
  question: string,
): Pick<FeedbackInput, "kind" | "question" | "answer"> {
  return { kind: "search", question, answer: searchAnswerRecord(outcome) };
}

/** What a decision contributes to its feedback. */
export function decisionFeedback(
  household: HouseholdInput,
  decision: Decision,
): Pick<FeedbackInput, "kind" | "household" | "answer"> {
  return { kind: "decision", household, answer: decisionAnswerRecord(decision) };
}

/** How long a kept question, and the link of a feedback to its user, are kept when nothing is configured. */
export const DEFAULT_QUESTION_RETENTION_DAYS = 90;

/** Options of the stores: the clock (tests pass a fixed one) and the retention period. */
export interface StoreOptions {
  now?: () => number;
  /** Days a kept question and the link to its user are kept (QUESTION_RETENTION_DAYS). Default 90. */
  retentionDays?: number;
}

/**
 * Feedback storage (table `feedback`, migrations 0003 and 0005). No time of day; questions are scrubbed;
 * household facts are kept only for disputed decisions. The keyed digest of who judged is kept for the
 * retention period only, so that /xoa can delete the row ({@link forgetUser}); it is never read back.
 *
 * ```ts
 * const store = createFeedbackStore(openDatabase(":memory:"));
 * const id = store.record({ ...searchFeedback(outcome, question), verdict: "wrong", role: "staff", versions });
 * store.addExpected(id, "khoản 1.2 Mục IV kế hoạch Thái Bình");
 * ```
 */
export function createFeedbackStore(database: AppDatabase, options: StoreOptions = {}) {
  const { db } = database;
  const today = (): string => vietnamDate((options.now ?? Date.now)());
  const cutoff = (): string => addDays(today(), -(options.retentionDays ?? DEFAULT_QUESTION_RETENTION_DAYS));
  return {
    /** Stores one feedback; returns its id (to attach the right answer to it later). */
    record(input: FeedbackInput): number {
      const disputed = input.verdict !== "correct";
      const row = db
        .insert(feedback)
        .values({
          day: today(),
          kind: input.kind,
          verdict: input.verdict,
          role: input.role,
          userKey: input.userKey ? database.userKeys.digest(input.userKey) : null,
          question: input.kind === "search" && input.question ? scrubStoredQuestion(input.question) : null,
          household:
            input.kind === "decision" && disputed && input.household ? storeHousehold(input.household) : null,
          answer: input.answer,
          rulesVersion: input.versions.rules,
          knowledgeVersion: input.versions.knowledge,
        })
        .returning({ id: feedback.id })
        .get();
      return row.id;
    },
    /** Attaches the right answer a staff member typed to a disputed feedback; false when there is none. */
    addExpected(id: number, expected: string): boolean {
      const result = db
        .update(feedback)
        .set({ expected: scrubPersonalData(expected) })
        .where(and(eq(feedback.id, id), inArray(feedback.verdict, ["wrong", "unclear"])))
        .run();
      return result.changes > 0;
    },
    /** Unlinks feedback older than the retention period from its user; returns how many. */
    purgeExpired(): number {
      return db
        .update(feedback)
        .set({ userKey: null })
        .where(and(isNotNull(feedback.userKey), lt(feedback.day, cutoff())))
        .run().changes;
    },
    /** Disputed feedback ("Sai", "Chưa rõ"), oldest first, for the export. */
    disputed(range: DayRange = {}): FeedbackRecord[] {
      const { userKey: _who, ...columns } = getTableColumns(feedback);
      const rows = db
        .select(columns)
        .from(feedback)
        .where(and(inArray(feedback.verdict, ["wrong", "unclear"]), ...dayConditions(feedback.day, range)))
        .orderBy(asc(feedback.id))
        .all();
      // Stored households are read back like any input (a row from an older release, or edited by hand).
      return rows.map((row) => ({
        ...row,
        household: row.household ? (readStoredHousehold(row.household) ?? null) : null,
      }));
    },
  };
}

/** The feedback store's interface. */
export type FeedbackStore = ReturnType<typeof createFeedbackStore>;

function dayConditions(column: typeof feedback.day | typeof usageEvents.day, range: DayRange): SQL[] {
  return [...(range.from ? [gte(column, range.from)] : []), ...(range.to ? [lte(column, range.to)] : [])];
}

/**
 * Anonymous usage statistics (table `usage_events`): screenings and questions, counted, never per person. A
 * question without a good answer is kept (scrubbed hard) with the keyed digest of who asked, for the
 * retention period, so that /xoa reaches it; then both go and only the count stays.
 *
 * ```ts
 * const stats = createUsageStats(database);
 * stats.recordScreening(decision);
 * stats.summary({ from: "2026-03-01" });
 * ```
 */
export function createUsageStats(database: AppDatabase, options: StoreOptions = {}) {
  const { db, sqlite } = database;
  const today = (): string => vietnamDate((options.now ?? Date.now)());
  const cutoff = (): string => addDays(today(), -(options.retentionDays ?? DEFAULT_QUESTION_RETENTION_DAYS));
  const range = (from?: string, to?: string) => ({ from: from ?? "0000-01-01", to: to ?? "9999-12-31" });
  const eligibleCounts = sqlite.prepare(
    `SELECT je.value AS id, count(*) AS count FROM usage_events ue, json_each(ue.eligible) je
      WHERE ue.kind = 'screening' AND ue.day BETWEEN @from AND @to
      GROUP BY je.value ORDER BY count DESC, id`,
  );
  // One row per question and per screening, so on the message path: prepared once through the raw handle
  // (drizzle's insert builder would rebuild the statement on every call).
  const insertEvent = sqlite.prepare(
    `INSERT INTO usage_events (day, kind, category, basis, eligible, answered, question, user_key)
     VALUES (@day, @kind, @category, @basis, @eligible, @answered, @question, @userKey)`,
  );
  const none = { category: null, basis: null, eligible: null, answered: null, question: null, userKey: null };
  return {
    /** Counts one screening: its category and the programmes found eligible. */
    recordScreening(decision: Decision): void {
      insertEvent.run({
        ...none,
        day: today(),
        kind: "screening",
        category: decision.classification.category,
        basis: decision.classification.basis,
        eligible: JSON.stringify(
          decision.programs.filter((program) => program.status === "eligible").map((program) => program.id),
        ),
      });
    },
    /**
     * Counts one question; keeps it (scrubbed) only when no passage answered it, linked to `userKey`'s
     * digest so that /xoa finds it. Without a user key the question is not kept, only counted.
     */
    recordSearch(outcome: SearchOutcome, userKey?: string): void {
      if (outcome.type === "invalid") return;
      const answered = outcome.type === "results";
      const kept = !answered && userKey !== undefined;
      insertEvent.run({
        ...none,
        day: today(),
        kind: "search",
        answered: answered ? 1 : 0,
        question: kept ? scrubStoredQuestion(outcome.query) : null,
        userKey: kept ? database.userKeys.digest(userKey) : null,
      });
    },
    /** Drops the questions older than the retention period (their counts stay); returns how many. */
    purgeExpired(): number {
      return db
        .update(usageEvents)
        .set({ question: null, userKey: null })
        .where(and(isNotNull(usageEvents.userKey), lt(usageEvents.day, cutoff())))
        .run().changes;
    },
    /** The aggregate statistics over a day range. */
    summary(days: DayRange = {}): StatsSummary {
      const conditions = dayConditions(usageEvents.day, days);
      const screening = and(eq(usageEvents.kind, "screening"), ...conditions);
      const perDay = db
        .select({ day: usageEvents.day, count: sql<number>`count(*)` })
        .from(usageEvents)
        .where(screening)
        .groupBy(usageEvents.day)
        .orderBy(asc(usageEvents.day))
        .all();
      const categories = db
        .select({ category: usageEvents.category, count: sql<number>`count(*)` })
        .from(usageEvents)
        .where(screening)
        .groupBy(usageEvents.category)
        .orderBy(sql`count(*) desc`)
        .all()
        .map((row) => ({ category: row.category ?? "unknown", count: row.count }));
      const searches = db
        .select({ answered: usageEvents.answered, count: sql<number>`count(*)` })
        .from(usageEvents)
        .where(and(eq(usageEvents.kind, "search"), ...conditions))
        .groupBy(usageEvents.answered)
        .all();
      const unansweredRows = db
        .select({ question: usageEvents.question })
        .from(usageEvents)
        .where(and(eq(usageEvents.kind, "search"), eq(usageEvents.answered, false), ...conditions))
        .all();
      // The same question typed with or without diacritics counts once.
      const grouped = new Map<string, { question: string; count: number }>();
      for (const { question } of unansweredRows) {
        if (!question) continue;
        const key = foldDiacritics(question)
          .replace(/[^\p{L}\p{N}]+/gu, " ")
          .trim();
        const entry = grouped.get(key) ?? { question, count: 0 };
        entry.count++;
        grouped.set(key, entry);
      }
      const feedbackCounts = db
        .select({ kind: feedback.kind, verdict: feedback.verdict, count: sql<number>`count(*)` })
        .from(feedback)
        .where(and(...dayConditions(feedback.day, days)))
        .groupBy(feedback.kind, feedback.verdict)
        .all();
      return {
        from: days.from ?? null,
        to: days.to ?? null,
        screenings: perDay.reduce((sum, row) => sum + row.count, 0),
        screeningsPerDay: perDay,
        categories,
        eligibleProgrammes: eligibleCounts.all(range(days.from, days.to)) as { id: string; count: number }[],
        searches: searches.reduce((sum, row) => sum + row.count, 0),
        unanswered: searches.filter((row) => !row.answered).reduce((sum, row) => sum + row.count, 0),
        unansweredQuestions: [...grouped.values()].sort((a, b) => b.count - a.count).slice(0, 10),
        feedback: feedbackCounts,
      };
    },
  };
}

/** The usage statistics' interface. */
export type UsageStats = ReturnType<typeof createUsageStats>;
