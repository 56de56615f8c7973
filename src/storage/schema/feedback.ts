import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * "Đúng / Sai / Chưa rõ" on an answer, kept so that a wrong answer becomes a regression test. No time of
 * day, no message text beyond the question: the question is scrubbed of what could identify someone, and the
 * household facts are kept only for a disputed decision ("Sai", "Chưa rõ"). The keyed digest of who gave it
 * is kept for the retention period only, so that /xoa finds it; never shown.
 */
export const feedback = sqliteTable(
  "feedback",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** Calendar day in Vietnam, YYYY-MM-DD. */
    day: text("day").notNull(),
    /** What was judged: a knowledge-base answer or an eligibility decision. */
    kind: text("kind", { enum: ["search", "decision"] }).notNull(),
    verdict: text("verdict", { enum: ["correct", "wrong", "unclear"] }).notNull(),
    /** Keyed digest of the user (see storage/user-keys.ts), for /xoa; null after the retention period. */
    userKey: text("user_key"),
    /** Who judged it: staff verdicts weigh more when turned into tests. */
    role: text("role", { enum: ["staff", "resident"] }).notNull(),
    /** The question asked (knowledge base only), scrubbed. */
    question: text("question"),
    /** The household input of a disputed decision (JSON, `{ format, household }`, see `storeHousehold`), for the draft test case; null otherwise. */
    household: text("household", { mode: "json" }),
    /** What was shown, compactly (JSON): passages and citations, or category and status per programme. */
    answer: text("answer", { mode: "json" }).notNull(),
    /** The right answer according to the staff member, as typed (scrubbed); null until given. */
    expected: text("expected"),
    /** Digest of the rules and figures (knowledge/parameters, knowledge/rules) the answer was given under. */
    rulesVersion: text("rules_version").notNull(),
    /** Digest of the plan documents indexed when the answer was given. */
    knowledgeVersion: text("knowledge_version").notNull(),
  },
  (table) => [
    index("feedback_day_idx").on(table.day),
    index("feedback_verdict_idx").on(table.verdict),
    index("feedback_user_key_idx").on(table.userKey),
  ],
);

/**
 * Anonymous usage events for the staff statistics: one row per screening (the category and the
 * programmes found eligible) or per knowledge-base question (answered or not; the question text only when
 * no passage answered it, scrubbed). A kept question carries the keyed digest of who asked it, so /xoa
 * finds it; both are cleared after the retention period. Statistics are aggregates, never per person.
 */
export const usageEvents = sqliteTable(
  "usage_events",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    day: text("day").notNull(),
    kind: text("kind", { enum: ["screening", "search"] }).notNull(),
    /** Screening: the category found (poor, near_poor, average_living, none, unknown). */
    category: text("category"),
    /** Screening: whether the commune's list or the household's figures decided it. */
    basis: text("basis"),
    /** Screening: ids of the programmes found eligible (JSON array). */
    eligible: text("eligible", { mode: "json" }).$type<string[]>(),
    /** Search: 1 when a passage answered the question, 0 when none did. */
    answered: integer("answered", { mode: "boolean" }),
    /** Search without a good answer: the question, scrubbed; null otherwise and after the retention period. */
    question: text("question"),
    /** Keyed digest of who asked the kept question; null when no question is kept. */
    userKey: text("user_key"),
  },
  (table) => [
    index("usage_events_day_idx").on(table.day),
    index("usage_events_kind_idx").on(table.kind),
    index("usage_events_user_key_idx").on(table.userKey),
  ],
);
