import { pgTable, text } from "drizzle-orm/pg-core";

/** The PostgreSQL twin of ../../schema/rule-watches.ts: digest as key, the account sealed, JSON as text. */
export const ruleWatches = pgTable("rule_watches", {
  userKey: text("user_key").primaryKey(),
  address: text("address"),
  household: text("household").notNull(),
  lastSummary: text("last_summary").notNull(),
  rulesVersion: text("rules_version").notNull(),
  createdOn: text("created_on").notNull(),
  checkedOn: text("checked_on").notNull(),
  expiresOn: text("expires_on").notNull(),
});
