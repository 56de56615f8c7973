import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

/**
 * One-time sign-in codes of the staff web console (`/dangnhap` in chat, `hoichinhsach console-login`). The code
 * itself is never stored: only its keyed digest (storage/user-keys.ts), so the file alone cannot be used to sign
 * in. A code is good for 10 minutes and once; /xoa and the purge delete it.
 */
export const consoleCodes = sqliteTable(
  "console_codes",
  {
    /** Keyed digest of the code. */
    codeHash: text("code_hash").primaryKey(),
    /** Keyed digest of the staff member's user key ("telegram:123"). */
    userKey: text("user_key").notNull(),
    /** Milliseconds since the epoch. */
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [index("console_codes_user_key_idx").on(table.userKey)],
);

/**
 * Signed-in console sessions. The cookie holds a random token; only its SHA-256 is stored. A session ends after
 * an idle period, at its absolute end, on sign-out, or when /xoa erases its user.
 */
export const consoleSessions = sqliteTable(
  "console_sessions",
  {
    /** SHA-256 (base64url) of the session token. */
    tokenHash: text("token_hash").primaryKey(),
    /** Keyed digest of the staff member's user key. */
    userKey: text("user_key").notNull(),
    createdAt: integer("created_at").notNull(),
    lastSeenAt: integer("last_seen_at").notNull(),
    /** Absolute end, whatever the activity. */
    expiresAt: integer("expires_at").notNull(),
  },
  (table) => [index("console_sessions_user_key_idx").on(table.userKey)],
);

/**
 * Wrong sign-in codes per client (keyed digest of its address): attempts are counted in a window, and a client
 * with too many wrong codes is locked out for a while. Nothing else about the client is kept.
 */
export const consoleLockouts = sqliteTable("console_lockouts", {
  client: text("client").primaryKey(),
  failures: integer("failures").notNull(),
  windowStart: integer("window_start").notNull(),
  lockedUntil: integer("locked_until"),
});
