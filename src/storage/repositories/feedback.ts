import { and, asc, eq, getTableColumns, gte, inArray, isNotNull, lt, lte, sql, type SQL } from "drizzle-orm";
import { addDays, vietnamDate, type DayRange } from "../../domain/dates.ts";
import { readStoredHousehold, storeHousehold, type HouseholdInput } from "../../domain/household.ts";
import type { AppDatabase } from "../database.ts";
import { feedback, usageEvents } from "../schema/feedback.ts";

/** How long a kept question, and the link of a feedback to its user, are kept when nothing is configured. */
export const DEFAULT_QUESTION_RETENTION_DAYS = 90;

/** Options of the stores: the clock (tests pass a fixed one) and the retention period. */
export interface StoreOptions {
  now?: () => number;
  /** Days a kept question and the link to its user are kept (QUESTION_RETENTION_DAYS). Default 90. */
  retentionDays?: number;
}

/** A feedback row as it is written: what to keep is decided (and scrubbed) by the caller. */
export interface FeedbackRow {
  kind: "search" | "decision";
  verdict: "correct" | "wrong" | "unclear";
  role: "staff" | "resident";
  /** Who judged; stored as its keyed digest. */
  userKey: string | null;
  question: string | null;
  household: HouseholdInput | null;
  answer: Record<string, unknown>;
  rulesVersion: string;
  knowledgeVersion: string;
}

/**
 * Feedback rows (table `feedback`, migrations 0003 and 0005): stored and loaded, nothing decided here. No
 * time of day. The keyed digest of who judged is kept for the retention period only, so that /xoa can delete
 * the row; it is never read back. `staff/services/feedback.ts` decides what goes in.
 */
export function createFeedbackRepository(database: AppDatabase, options: StoreOptions = {}) {
  const { db } = database;
  const today = (): string => vietnamDate((options.now ?? Date.now)());
  const cutoff = (): string => addDays(today(), -(options.retentionDays ?? DEFAULT_QUESTION_RETENTION_DAYS));
  return {
    /** Inserts one row dated today; returns its id. */
    insert(row: FeedbackRow): number {
      const { userKey, household, ...rest } = row;
      return db
        .insert(feedback)
        .values({
          ...rest,
          day: today(),
          userKey: userKey ? database.userKeys.digest(userKey) : null,
          household: household ? storeHousehold(household) : null,
        })
        .returning({ id: feedback.id })
        .get().id;
    },
    /** Sets the right answer of a disputed row; false when there is none with that id. */
    setExpected(id: number, expected: string): boolean {
      return (
        db
          .update(feedback)
          .set({ expected })
          .where(and(eq(feedback.id, id), inArray(feedback.verdict, ["wrong", "unclear"])))
          .run().changes > 0
      );
    },
    /** Unlinks rows older than the retention period from their user; returns how many. */
    purgeExpired(): number {
      return db
        .update(feedback)
        .set({ userKey: null })
        .where(and(isNotNull(feedback.userKey), lt(feedback.day, cutoff())))
        .run().changes;
    },
    /** Disputed rows ("Sai", "Chưa rõ"), oldest first, without who judged. */
    disputed(range: DayRange = {}) {
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

/** The feedback repository's interface. */
export type FeedbackRepository = ReturnType<typeof createFeedbackRepository>;

function dayConditions(column: typeof feedback.day | typeof usageEvents.day, range: DayRange): SQL[] {
  return [...(range.from ? [gte(column, range.from)] : []), ...(range.to ? [lte(column, range.to)] : [])];
}

/**
 * Usage events (table `usage_events`): one row per screening or question, never per person; a kept question
 * carries the keyed digest of who asked, for the retention period. Counted here, interpreted by
 * `staff/services/feedback.ts`.
 */
export function createUsageEventRepository(database: AppDatabase, options: StoreOptions = {}) {
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
    /** Inserts one screening dated today: its category and the ids of the programmes found eligible. */
    insertScreening(row: { category: string; basis: string; eligible: readonly string[] }): void {
      insertEvent.run({
        ...none,
        day: today(),
        kind: "screening",
        ...row,
        eligible: JSON.stringify(row.eligible),
      });
    },
    /** Inserts one question dated today; `question` and `userKey` (stored as its digest) only when kept. */
    insertSearch(row: { answered: boolean; question: string | null; userKey: string | null }): void {
      insertEvent.run({
        ...none,
        day: today(),
        kind: "search",
        answered: row.answered ? 1 : 0,
        question: row.question,
        userKey: row.userKey === null ? null : database.userKeys.digest(row.userKey),
      });
    },
    /** Drops the questions older than the retention period (their rows stay); returns how many. */
    purgeExpired(): number {
      return db
        .update(usageEvents)
        .set({ question: null, userKey: null })
        .where(and(isNotNull(usageEvents.userKey), lt(usageEvents.day, cutoff())))
        .run().changes;
    },
    /** The counts over a day range, and the kept questions no passage answered. */
    counts(days: DayRange = {}) {
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
        .all();
      const searches = db
        .select({ answered: usageEvents.answered, count: sql<number>`count(*)` })
        .from(usageEvents)
        .where(and(eq(usageEvents.kind, "search"), ...conditions))
        .groupBy(usageEvents.answered)
        .all();
      const unansweredQuestions = db
        .select({ question: usageEvents.question })
        .from(usageEvents)
        .where(and(eq(usageEvents.kind, "search"), eq(usageEvents.answered, false), ...conditions))
        .all()
        .map((row) => row.question);
      const feedbackCounts = db
        .select({ kind: feedback.kind, verdict: feedback.verdict, count: sql<number>`count(*)` })
        .from(feedback)
        .where(and(...dayConditions(feedback.day, days)))
        .groupBy(feedback.kind, feedback.verdict)
        .all();
      return {
        perDay,
        categories,
        eligible: eligibleCounts.all(range(days.from, days.to)) as { id: string; count: number }[],
        searches,
        unansweredQuestions,
        feedback: feedbackCounts,
      };
    },
  };
}

/** The usage event repository's interface. */
export type UsageEventRepository = ReturnType<typeof createUsageEventRepository>;
