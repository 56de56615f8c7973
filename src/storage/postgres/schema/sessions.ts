import { bigint, index, integer, pgTable, text } from "drizzle-orm/pg-core";

/** The PostgreSQL twin of ../../schema/sessions.ts (same table and columns; times in epoch milliseconds). */
export const sessions = pgTable(
  "sessions",
  {
    userKey: text("user_key").primaryKey(),
    flowId: text("flow_id"),
    flowVersion: integer("flow_version"),
    /** The engine snapshot, JSON text. */
    state: text("state").notNull(),
    updatedAt: bigint("updated_at", { mode: "number" }).notNull(),
    expiresAt: bigint("expires_at", { mode: "number" }).notNull(),
  },
  (table) => [index("sessions_expires_at_idx").on(table.expiresAt)],
);
