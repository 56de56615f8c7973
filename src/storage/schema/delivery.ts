import { sql } from "drizzle-orm";
import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/**
 * Updates received from Telegram and Zalo, written before the webhook answers 200 and handled from here, so
 * that an acknowledged update survives a crash. `(platform, update_id)` is unique: a repeated delivery, before
 * or after a restart or to another process on the same database, is recognised here. The payload holds the
 * message text (personal data): it is cleared as soon as the update is handled, and the key alone is kept for
 * a bounded window, for de-duplication, then deleted. `user_key` ties an update not yet handled to its sender
 * (the keyed digest of user-keys.ts, never the account id), so that /xoa reaches it; it is cleared with the
 * payload.
 *
 * A row is claimed with a lease (`lease_owner`, `lease_until`) through a guarded update, so several processes
 * can share the table; the same columns and statements work on PostgreSQL.
 */
export const inbox = sqliteTable(
  "inbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform").notNull(),
    /** Telegram's update_id, or Zalo's `event_name:message_id`. */
    updateId: text("update_id").notNull(),
    /** `pending` (to handle), `processing` (claimed under a lease) or `done` (key kept for de-duplication). */
    status: text("status").notNull(),
    /** The update as received (JSON); null once handled. */
    payload: text("payload"),
    /** The sender's keyed digest (see user-keys.ts), for erasure; null once handled, or for an update of no one. */
    userKey: text("user_key"),
    attempts: integer("attempts").notNull().default(0),
    receivedAt: integer("received_at").notNull(),
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until"),
    handledAt: integer("handled_at"),
  },
  (table) => [
    uniqueIndex("inbox_platform_update_id_uq").on(table.platform, table.updateId),
    // Only the updates not yet handled: the kept keys of handled ones stay out of it.
    index("inbox_waiting_idx")
      .on(table.platform, table.id)
      .where(sql`status <> 'done'`),
  ],
);

/**
 * Messages to send, written in the same transaction that marks their update handled, and deleted once sent.
 * One row is one Bot API call (a part of a long reply, or a document). A chat's rows are sent in id order, one
 * at a time. `ambiguous` counts the failures after which the message may have arrived (see send-policy.ts).
 * `user_key` is the keyed digest of the user whose update the message answers, so that /xoa deletes what was not
 * sent yet.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform").notNull(),
    /** The chat to send to (Telegram chat id, Zalo chat id). */
    target: text("target").notNull(),
    /** What to send (JSON, channel-rendered); holds the reply text until sent. */
    payload: text("payload").notNull(),
    /** The keyed digest of the user answered (see user-keys.ts), for erasure; null when not known. */
    userKey: text("user_key"),
    /** `pending` or `sending` (claimed under a lease). */
    status: text("status").notNull(),
    attempts: integer("attempts").notNull().default(0),
    ambiguous: integer("ambiguous").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    createdAt: integer("created_at").notNull(),
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until"),
  },
  // Rows live only until sent: the table stays small, and one index is enough.
  (table) => [index("outbox_target_idx").on(table.platform, table.target, table.id)],
);
