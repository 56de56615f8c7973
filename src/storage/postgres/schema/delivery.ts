import { sql } from "drizzle-orm";
import { bigint, index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";

/**
 * The PostgreSQL twins of ../../schema/delivery.ts (inbox and outbox; what each column holds, and when it is
 * cleared, is described there). Ids are identities; times are epoch milliseconds.
 */
export const inbox = pgTable(
  "inbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    platform: text("platform").notNull(),
    updateId: text("update_id").notNull(),
    status: text("status").notNull(),
    payload: text("payload"),
    userKey: text("user_key"),
    attempts: integer("attempts").notNull().default(0),
    receivedAt: bigint("received_at", { mode: "number" }).notNull(),
    leaseOwner: text("lease_owner"),
    leaseUntil: bigint("lease_until", { mode: "number" }),
    handledAt: bigint("handled_at", { mode: "number" }),
  },
  (table) => [
    uniqueIndex("inbox_platform_update_id_uq").on(table.platform, table.updateId),
    index("inbox_waiting_idx")
      .on(table.platform, table.id)
      .where(sql`status <> 'done'`),
    index("inbox_user_key_idx").on(table.userKey),
  ],
);

export const outbox = pgTable(
  "outbox",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    platform: text("platform").notNull(),
    target: text("target").notNull(),
    payload: text("payload").notNull(),
    userKey: text("user_key"),
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    ambiguous: integer("ambiguous").notNull().default(0),
    nextAttemptAt: bigint("next_attempt_at", { mode: "number" }).notNull(),
    createdAt: bigint("created_at", { mode: "number" }).notNull(),
    leaseOwner: text("lease_owner"),
    leaseUntil: bigint("lease_until", { mode: "number" }),
  },
  (table) => [index("outbox_target_idx").on(table.platform, table.target, table.id)],
);
