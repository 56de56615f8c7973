import { bigint, boolean, index, pgTable, text } from "drizzle-orm/pg-core";

/** The PostgreSQL twin of ../../schema/feedback.ts (what is kept, and for how long, is described there). */
export const feedback = pgTable(
  "feedback",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    day: text("day").notNull(),
    kind: text("kind", { enum: ["search", "decision"] }).notNull(),
    verdict: text("verdict", { enum: ["correct", "wrong", "unclear"] }).notNull(),
    userKey: text("user_key"),
    role: text("role", { enum: ["staff", "resident"] }).notNull(),
    question: text("question"),
    /** JSON text. */
    household: text("household"),
    /** JSON text. */
    answer: text("answer").notNull(),
    expected: text("expected"),
    rulesVersion: text("rules_version").notNull(),
    knowledgeVersion: text("knowledge_version").notNull(),
  },
  (table) => [
    index("feedback_day_idx").on(table.day),
    index("feedback_verdict_idx").on(table.verdict),
    index("feedback_user_key_idx").on(table.userKey),
  ],
);

/** The PostgreSQL twin of the SQLite `usage_events`: aggregates only, a kept question with its user's digest. */
export const usageEvents = pgTable(
  "usage_events",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    day: text("day").notNull(),
    kind: text("kind", { enum: ["screening", "search"] }).notNull(),
    category: text("category"),
    basis: text("basis"),
    /** Ids of the programmes found eligible, JSON array text. */
    eligible: text("eligible"),
    answered: boolean("answered"),
    question: text("question"),
    userKey: text("user_key"),
  },
  (table) => [
    index("usage_events_day_idx").on(table.day),
    index("usage_events_kind_idx").on(table.kind),
    index("usage_events_user_key_idx").on(table.userKey),
  ],
);
