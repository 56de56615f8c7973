import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One conversation per user: the engine's snapshot (answers needed for the decision, where the user is),
 * never message text. The key is a keyed digest (HMAC with the server secret, storage/user-keys.ts) of the
 * channel's user key ("telegram:123"), so the table cannot be matched against account ids without the secret. A row expires `ttl` days after the last message; expired rows are
 * ignored on read and purged.
 */
export const sessions = sqliteTable(
  "sessions",
  {
    userKey: text("user_key").primaryKey(),
    /** The interview flow and version the stored answers belong to (null outside an interview). */
    flowId: text("flow_id"),
    flowVersion: integer("flow_version"),
    /** The engine snapshot, JSON. */
    state: text("state", { mode: "json" }).notNull(),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }).notNull(),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
  },
  (table) => [index("sessions_expires_at_idx").on(table.expiresAt)],
);
