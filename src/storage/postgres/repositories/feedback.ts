import { addDays, vietnamDate, type DayRange } from "../../../domain/dates.ts";
import { readStoredHousehold, storeHousehold } from "../../../domain/household.ts";
import {
  DEFAULT_QUESTION_RETENTION_DAYS,
  type FeedbackRow,
  type StoreOptions,
} from "../../repositories/feedback.ts";
import type { FeedbackRepository, UsageEventRepository } from "../../repositories/feedback.ts";
import type { Async } from "../../../shared/maybe-promise.ts";
import { SCOPE, type PostgresDatabase } from "../database.ts";

/** The feedback repository of ../../repositories/feedback.ts on PostgreSQL. */
export type PostgresFeedbackRepository = Async<FeedbackRepository>;
/** The usage event repository of ../../repositories/feedback.ts on PostgreSQL. */
export type PostgresUsageEventRepository = Async<UsageEventRepository>;

/** Day bounds of a range as SQL conditions on `column`, numbering parameters after `values`. */
function dayConditions(column: string, range: DayRange, values: unknown[]): string[] {
  const conditions: string[] = [];
  if (range.from) {
    values.push(range.from);
    conditions.push(`${column} >= $${values.length}`);
  }
  if (range.to) {
    values.push(range.to);
    conditions.push(`${column} <= $${values.length}`);
  }
  return conditions;
}

const where = (conditions: string[]): string =>
  conditions.length ? `where ${conditions.join(" and ")}` : "";

/**
 * Feedback rows on PostgreSQL (table `feedback`): stored and loaded, nothing decided here, as on SQLite. The
 * keyed digest of who judged is kept for the retention period only and never read back. A row of a user joins
 * the transaction open for the user ({@link SCOPE}.user), if any.
 */
export function createPostgresFeedbackRepository(
  database: PostgresDatabase,
  options: StoreOptions = {},
): PostgresFeedbackRepository {
  const { query } = database;
  const today = (): string => vietnamDate((options.now ?? Date.now)());
  const cutoff = (): string => addDays(today(), -(options.retentionDays ?? DEFAULT_QUESTION_RETENTION_DAYS));
  return {
    async insert(row: FeedbackRow) {
      const key = row.userKey ? database.userKeys.digest(row.userKey) : null;
      const on = (key === null ? undefined : database.transactionIn(SCOPE.user(key))) ?? database;
      const { rows } = await on.query<{ id: number }>(
        `insert into feedback (day, kind, verdict, user_key, role, question, household, answer, rules_version,
           knowledge_version)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
        [
          today(),
          row.kind,
          row.verdict,
          key,
          row.role,
          row.question,
          row.household ? JSON.stringify(storeHousehold(row.household)) : null,
          JSON.stringify(row.answer),
          row.rulesVersion,
          row.knowledgeVersion,
        ],
      );
      return rows[0]!.id;
    },
    async setExpected(id: number, expected: string) {
      const result = await query(
        "update feedback set expected = $2 where id = $1 and verdict in ('wrong', 'unclear')",
        [id, expected],
      );
      return result.rowCount > 0;
    },
    async purgeExpired() {
      const result = await query(
        "update feedback set user_key = null where user_key is not null and day < $1",
        [cutoff()],
      );
      return result.rowCount;
    },
    async disputed(range: DayRange = {}) {
      const values: unknown[] = [];
      const conditions = ["verdict in ('wrong', 'unclear')", ...dayConditions("day", range, values)];
      const { rows } = await query<{
        id: number;
        day: string;
        kind: "search" | "decision";
        verdict: "correct" | "wrong" | "unclear";
        role: "staff" | "resident";
        question: string | null;
        household: string | null;
        answer: string;
        expected: string | null;
        rulesVersion: string;
        knowledgeVersion: string;
      }>(
        `select id, day, kind, verdict, role, question, household, answer, expected,
           rules_version as "rulesVersion", knowledge_version as "knowledgeVersion"
         from feedback ${where(conditions)} order by id`,
        values,
      );
      // Stored households are read back like any input (a row from an older release, or edited by hand).
      return rows.map((row) => ({
        ...row,
        household: row.household ? (readStoredHousehold(JSON.parse(row.household)) ?? null) : null,
        answer: JSON.parse(row.answer) as unknown,
      }));
    },
  };
}

/**
 * Usage events on PostgreSQL (table `usage_events`): one row per screening or question, never per person, as on
 * SQLite; the lists of eligible programmes are JSON text, unfolded with `jsonb_array_elements_text` to count.
 */
export function createPostgresUsageEventRepository(
  database: PostgresDatabase,
  options: StoreOptions = {},
): PostgresUsageEventRepository {
  const { query } = database;
  const today = (): string => vietnamDate((options.now ?? Date.now)());
  const cutoff = (): string => addDays(today(), -(options.retentionDays ?? DEFAULT_QUESTION_RETENTION_DAYS));
  const insert = async (values: {
    kind: "screening" | "search";
    category?: string;
    basis?: string;
    eligible?: string;
    answered?: boolean;
    question?: string | null;
    userKey?: string | null;
  }): Promise<void> => {
    await query(
      `insert into usage_events (day, kind, category, basis, eligible, answered, question, user_key)
       values ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        today(),
        values.kind,
        values.category ?? null,
        values.basis ?? null,
        values.eligible ?? null,
        values.answered ?? null,
        values.question ?? null,
        values.userKey ?? null,
      ],
    );
  };
  return {
    async insertScreening(row: { category: string; basis: string; eligible: readonly string[] }) {
      await insert({
        kind: "screening",
        category: row.category,
        basis: row.basis,
        eligible: JSON.stringify(row.eligible),
      });
    },
    async insertSearch(row: { answered: boolean; question: string | null; userKey: string | null }) {
      await insert({
        kind: "search",
        answered: row.answered,
        question: row.question,
        userKey: row.userKey === null ? null : database.userKeys.digest(row.userKey),
      });
    },
    async purgeExpired() {
      const result = await query(
        "update usage_events set question = null, user_key = null where user_key is not null and day < $1",
        [cutoff()],
      );
      return result.rowCount;
    },
    async counts(days: DayRange = {}) {
      const values: unknown[] = [];
      const conditions = dayConditions("day", days, values);
      const screening = where(["kind = 'screening'", ...conditions]);
      const search = ["kind = 'search'", ...conditions];
      const feedbackValues: unknown[] = [];
      const feedbackWhere = where(dayConditions("day", days, feedbackValues));
      // SQLite returns groups in key order: the same order here, stated.
      const [perDay, categories, eligible, searches, unanswered, feedbackCounts] = await Promise.all([
        query<{ day: string; count: number }>(
          `select day, count(*) as count from usage_events ${screening} group by day order by day`,
          values,
        ),
        query<{ category: string | null; count: number }>(
          `select category, count(*) as count from usage_events ${screening}
           group by category order by count(*) desc, category nulls first`,
          values,
        ),
        query<{ id: string; count: number }>(
          `select je.value as id, count(*) as count
           from usage_events ue, jsonb_array_elements_text(ue.eligible::jsonb) as je(value)
           ${where(["ue.kind = 'screening'", ...conditions.map((c) => `ue.${c}`)])}
           group by je.value order by count desc, id`,
          values,
        ),
        query<{ answered: boolean | null; count: number }>(
          `select answered, count(*) as count from usage_events ${where(search)}
           group by answered order by answered nulls first`,
          values,
        ),
        query<{ question: string | null }>(
          `select question from usage_events ${where([...search, "answered = false"])} order by id`,
          values,
        ),
        query<{ kind: "search" | "decision"; verdict: "correct" | "wrong" | "unclear"; count: number }>(
          `select kind, verdict, count(*) as count from feedback ${feedbackWhere}
           group by kind, verdict order by kind, verdict`,
          feedbackValues,
        ),
      ]);
      return {
        perDay: perDay.rows,
        categories: categories.rows,
        eligible: eligible.rows,
        searches: searches.rows,
        unansweredQuestions: unanswered.rows.map((row) => row.question),
        feedback: feedbackCounts.rows,
      };
    },
  };
}
