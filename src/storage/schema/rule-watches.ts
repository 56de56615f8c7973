import { sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * Residents who asked to be told when a rules update changes their decision ("Báo cho tôi khi chính sách
 * thay đổi"). The row is found by the keyed digest of the user key; the account the notice goes to is kept
 * sealed with the server secret (storage/user-keys.ts), so the file alone names no one. Only what re-running the decision needs is stored (the household
 * facts, without the assessment date) and what it said last time (category and status per programme). A
 * watch ends after a year, and /xoa deletes it at once.
 */
export const ruleWatches = sqliteTable("rule_watches", {
  /** Keyed digest of the user key. */
  userKey: text("user_key").primaryKey(),
  /** The channel's user key, sealed; null only on rows stored before sealing (sealed when the store opens). */
  address: text("address"),
  /** The household input (JSON, `{ format, household }`, see `storeHousehold`), without `assessedOn`: re-run on the day of each check. */
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
