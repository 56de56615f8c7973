import { bigint, index, integer, pgTable, text } from "drizzle-orm/pg-core";

/** The PostgreSQL twins of ../../schema/console.ts: digests only, times in epoch milliseconds. */
export const consoleCodes = pgTable(
  "console_codes",
  {
    codeHash: text("code_hash").primaryKey(),
    userKey: text("user_key").notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  },
  (table) => [index("console_codes_user_key_idx").on(table.userKey)],
);

export const consoleSessions = pgTable(
  "console_sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userKey: text("user_key").notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    lastSeenAt: bigint("last_seen_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  },
  (table) => [index("console_sessions_user_key_idx").on(table.userKey)],
);

export const consoleLockouts = pgTable("console_lockouts", {
  client: text("client").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: bigint("window_start", { mode: "number" }).notNull(),
  lockedUntil: bigint("locked_until", { mode: "number" }),
});
