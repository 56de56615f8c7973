import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Residents who asked to be told when a rules update changes their decision ("Báo cho tôi khi chính sách
 * thay đổi"). The user key is kept as the channel gives it, because the notice has to reach that account;
 * nothing else identifies the person. Only what re-running the decision needs is stored (the household
 * facts, without the assessment date) and what it said last time (category and status per programme). A
 * watch ends after a year, and /xoa deletes it at once.
 */
export const ruleWatches = sqliteTable("rule_watches", {
  userKey: text("user_key").primaryKey(),
  /** The household input (JSON), without `assessedOn`: re-run on the day of each check. */
  household: text("household", { mode: "json" }).notNull(),
  /** What the last decision said (JSON, see `watchSummary`). */
  lastSummary: text("last_summary", { mode: "json" }).notNull(),
  /** Digest of the rules data the last decision was made under. */
  rulesVersion: text("rules_version").notNull(),
  /** Day of the opt-in, day of the last check, last day of the watch (ISO). */
  createdOn: text("created_on").notNull(),
  checkedOn: text("checked_on").notNull(),
  expiresOn: text("expires_on").notNull(),
});
